"""Entry point of the verify-code probe: `python main.py CONFIG_JSON`, started by the host."""
import importlib.util
import os
import sys

if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    spec = importlib.util.spec_from_file_location(
        "_tfshift_probe", os.path.join(here, "__init__.py"), submodule_search_locations=[here])
    sys.modules[spec.name] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sys.modules[spec.name])
    from _tfshift_probe import runner

    runner.main(sys.argv[1])
