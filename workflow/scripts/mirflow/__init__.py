"""mirflow: circulating-miRNA biomarker discovery from serum small-RNA count tables.

Layers, each importing only from the ones before it (tests/test_layers.py checks):

- core: ``errors``, ``groups``, ``settings`` (typed config sections), ``registry``
  (named methods), ``seeding``, ``sources`` (which modules a rule runs);
- ``io``: readers and writers of files (count tables, sample sheet, miRBase, TSV);
- ``stats``: pure statistics, each checked against its R reference;
- ``analyses``: a stage's tables composed from the statistics;
- ``plots``: figures drawn from tables, beside the analyses (they never fit);
- ``steps``: one function per rule, read -> analyse -> write; the rule scripts in
  ``workflow/scripts/`` are two-line adapters around them.
"""

__version__ = "0.1.0"
