"""One function per rule: read the declared inputs, call the analyses, write the
declared outputs. The rule scripts in workflow/scripts/ call these through
:func:`mirflow.steps.runner.run`."""
