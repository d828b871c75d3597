"""unlearn: the library behind the machine-unlearning reproduction workflow.

Modules (one concept each):
  plan        -- the experiment plan: which jobs exist and what each reads (the Snakefile binds it)
  plugins     -- the experiments' interface and registry (each paper package's plugin.py)
  codedeps    -- a script's import closure: the code inputs of its rule
  config      -- config schema validation with one-line, field-named errors (defaults filled in, nothing else)
  data        -- digits / CIFAR-10 / CIFAR-100 as uint8 tensors, deterministic splits
  loader      -- TensorLoader: batching + crop/flip augmentation on the device
  models      -- model registry (smallcnn, resnet18, allcnn, vit)
  training    -- the one training recipe (original, gold, twin, memorization models)
  forget      -- forget-set scenarios, pure functions of (labels, spec, seed)
  methods     -- unlearning methods, one module each, one signature
  metrics     -- evaluation metrics, pure functions
  evaluation  -- model outputs on D_f / D_r / D_test -> metric record
  tables, plots -- aggregation over seeds and rendering
  claims, reporting -- verdicts on the papers' claims; display names, per-seed differences, claims Markdown
  io          -- atomic checkpoints, provenance, logging

Importing the package is cheap; torch is imported by the submodules that need it.
"""

__version__ = "0.1.0"
