"""zoo/recipe.py: settings and folders of a run, the reproduce commands a card gives, the smoke run's fresh start,
and evaluate.py's card check (every line verbatim, else exit 1 listing the differing lines)."""
import tempfile
import unittest
from pathlib import Path
from types import SimpleNamespace
from unittest import mock

from zoo import data as zoo_data
from zoo.recipe import Recipe, check_summary, smoke_note, table_cell

FULL = {"epochs": 12, "time_budget_minutes": 20, "model": {"layers": 4}}
SMOKE = {**FULL, "epochs": 2, "time_budget_minutes": None, "model": {"layers": 1}}


def arguments(smoke=False, out=None, epochs=None, resume=False):
    return SimpleNamespace(smoke=smoke, out=out, epochs=epochs, resume=resume)


class SettingsAndFoldersTest(unittest.TestCase):
    def test_settings_are_a_copy_with_epochs_applied(self):
        recipe = Recipe("toy", FULL, SMOKE)
        settings = recipe.settings(arguments())
        settings["model"]["layers"] = 99
        self.assertEqual(FULL["model"]["layers"], 4)
        self.assertEqual(recipe.settings(arguments(smoke=True))["model"], {"layers": 1})
        self.assertEqual(recipe.settings(arguments(epochs=3)), {**FULL, "epochs": 3})
        lifted = Recipe("toy", FULL, SMOKE, epochs_lift_budget=True)
        self.assertEqual(lifted.settings(arguments(epochs=3)), {**FULL, "epochs": 3, "time_budget_minutes": None})
        self.assertEqual(lifted.settings(arguments())["time_budget_minutes"], 20)

    def test_folders(self):
        recipe = Recipe("toy", FULL, SMOKE)
        with tempfile.TemporaryDirectory() as folder, mock.patch.object(zoo_data, "WORK_ROOT", Path(folder)), \
                mock.patch.object(zoo_data, "MODELS_ROOT", Path(folder) / "models"):
            self.assertEqual(recipe.work_dir(arguments()), Path(folder) / "toy")
            self.assertEqual(recipe.work_dir(arguments(smoke=True)), Path(folder) / "toy-smoke")
            self.assertEqual(recipe.out_dir(arguments()), Path(folder) / "models" / "toy")
            self.assertEqual(recipe.out_dir(arguments(smoke=True)), Path(folder) / "toy-smoke" / "model")
            self.assertEqual(recipe.out_dir(arguments(smoke=True, out="x")), Path("x").resolve())


class CommandTest(unittest.TestCase):
    def test_options_that_reproduce_the_run(self):
        recipe = Recipe("toy", FULL, SMOKE)
        with tempfile.TemporaryDirectory() as folder, mock.patch.object(zoo_data, "MODELS_ROOT", Path(folder)):
            base = "/usr/bin/python3 tools/model-zoo/train.py toy"
            self.assertEqual(recipe.command("train.py", arguments(), epochs=12), base)
            # a budget or --deadline stopped the run early; --epochs given, even equal to the default
            self.assertEqual(recipe.command("train.py", arguments(), epochs=7), base + " --epochs 7")
            self.assertEqual(recipe.command("train.py", arguments(epochs=12), epochs=12), base + " --epochs 12")
            self.assertEqual(recipe.command("train.py", arguments(smoke=True), epochs=2), base + " --smoke")
            self.assertEqual(recipe.command("evaluate.py", arguments(out=str(Path(folder) / "toy"))),
                             "/usr/bin/python3 tools/model-zoo/evaluate.py toy")
            self.assertEqual(recipe.command("evaluate.py", arguments(smoke=True, out="/tmp/elsewhere")),
                             "/usr/bin/python3 tools/model-zoo/evaluate.py toy --smoke --out /tmp/elsewhere")


class StartTest(unittest.TestCase):
    def test_a_smoke_run_starts_from_an_empty_work_folder_unless_resumed(self):
        recipe = Recipe("toy", FULL, SMOKE)
        with tempfile.TemporaryDirectory() as folder, mock.patch.object(zoo_data, "WORK_ROOT", Path(folder)), \
                mock.patch("builtins.print"):
            stale = Path(folder) / "toy-smoke" / "final.pt"
            stale.parent.mkdir()
            stale.write_text("old")
            recipe.start_training(arguments(smoke=True, resume=True))
            self.assertTrue(stale.exists())
            recipe.start_training(arguments(smoke=True))
            self.assertFalse(stale.exists())
            log = (Path(folder) / "toy-smoke" / "progress.log").read_text()
            self.assertIn(f"recipe toy (smoke): work dir {Path(folder) / 'toy-smoke'}, output ", log)


class CardCheckTest(unittest.TestCase):
    def test_every_line_must_stand_in_the_card(self):
        recipe = Recipe("toy", FULL, SMOKE)
        with tempfile.TemporaryDirectory() as folder:
            args = arguments(smoke=True, out=folder)
            messages = []
            not_found = r"MODEL_CARD\.md not found: train the recipe first \(.*train\.py toy"
            with self.assertRaisesRegex(SystemExit, not_found):
                recipe.check_card(args, ["| a | 1 |"], messages.append)
            (Path(folder) / "MODEL_CARD.md").write_text("# toy\n| a | 1 |\n| b | 2 |\n", encoding="utf-8")
            recipe.check_card(args, ["| a | 1 |", "| b | 2 |"], messages.append)
            self.assertIn("all 2 metric lines match", messages[-1])
            with self.assertRaises(SystemExit) as failed:
                recipe.check_card(args, ["| a | 1 |", "| b | 3 |"], messages.append)
            self.assertEqual(failed.exception.code, 1)
            self.assertEqual(messages[-1], "evaluate: these lines differ from the card:\n| b | 3 |")


class CardPiecesTest(unittest.TestCase):
    def test_smoke_note_cell_and_check_summary(self):
        self.assertEqual(smoke_note(arguments(), "scenes"), "")
        self.assertIn("on a few scenes; the numbers mean nothing", smoke_note(arguments(smoke=True), "scenes"))
        self.assertEqual(table_cell("a | b\nc"), "a \\| b c")
        report = {"passed": True, "runs": [{}], "mismatches": [{}], "max_abs_difference": 0.0}
        self.assertEqual(check_summary(report), {"passed": True, "max_abs_difference": 0.0})


if __name__ == "__main__":
    unittest.main()
