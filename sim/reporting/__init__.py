"""The parts of the HTML reports: the page and its tables (`markup`), the scenario in words
(`scenario_text`), the run report's tables (`run_tables`) and the compare page (`compare_page`)."""
