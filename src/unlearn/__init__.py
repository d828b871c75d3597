"""unlearn: the library behind the machine-unlearning reproduction workflow.

Modules (one concept each):
  config      -- config schema validation with one-line, field-named errors
  data        -- digits / CIFAR-10 / CIFAR-100 as uint8 tensors, deterministic splits
  loader      -- TensorLoader: batching + crop/flip augmentation on the device
  models      -- model registry (smallcnn, resnet18, allcnn, vit)
  training    -- the one training recipe (original, gold, twin, memorization models)
  forget      -- forget-set scenarios, pure functions of (labels, spec, seed)
  methods     -- unlearning methods, one module each, one signature
  metrics     -- evaluation metrics, pure functions
  evaluation  -- model outputs on D_f / D_r / D_test -> metric record
  tables, plots -- aggregation over seeds and rendering
  io          -- atomic checkpoints, provenance, logging

Importing the package is cheap; torch is imported by the submodules that need it.
"""

__version__ = "0.1.0"
