"""zoo/epoch_trainer.py: a resumed run ends with the same weights as an uninterrupted one; an existing checkpoint is
never overwritten without --resume; the time budget stops training; selection keeps the best-scoring epoch from the
first candidate epoch on."""
import tempfile
import unittest
from pathlib import Path
from types import SimpleNamespace

import torch

from zoo.epoch_trainer import TrainingPlan, train_epochs

FEATURES = torch.randn(128, 4, generator=torch.Generator().manual_seed(0))
LABELS = (FEATURES[:, 0] - FEATURES[:, 2] > 0).long()


def plan_in(work: Path, epochs: int, scores: list[float] | None = None, first_candidate_epoch: int = 1,
            **settings) -> TrainingPlan:
    calls = iter(scores or [])

    def batches(epoch):
        order = torch.randperm(128, generator=torch.Generator().manual_seed(epoch))
        return [order[start : start + 16] for start in range(0, 128, 16)]

    def step_loss(model, batch):
        return torch.nn.functional.cross_entropy(model(FEATURES[batch]), LABELS[batch]), len(batch)

    def validate(model):
        if scores is not None:
            return {"score": next(calls)}
        return {"score": float((model(FEATURES).argmax(1) == LABELS).float().mean())}

    return TrainingPlan(work=work, settings=dict(seed=3, epochs=epochs, peak_lr=0.05, warmup_steps=4, **settings),
                        build_model=lambda: torch.nn.Linear(4, 2), batches=batches, step_loss=step_loss,
                        validate=validate, unit="ex", first_candidate_epoch=first_candidate_epoch)


def quiet(_message: str) -> None:
    pass


class EpochTrainerTest(unittest.TestCase):
    def test_resumed_run_equals_uninterrupted_run(self):
        with tempfile.TemporaryDirectory() as folder:
            straight = train_epochs(plan_in(Path(folder) / "a", 3), SimpleNamespace(), quiet)
            train_epochs(plan_in(Path(folder) / "b", 1), SimpleNamespace(), quiet)
            (Path(folder) / "b" / "final.pt").unlink()
            resumed = train_epochs(plan_in(Path(folder) / "b", 3), SimpleNamespace(resume=True), quiet)
            self.assertEqual([item["epoch"] for item in resumed["history"]], [1, 2, 3])
            for key, value in straight["model"].items():
                torch.testing.assert_close(resumed["model"][key], value, rtol=0, atol=0)

    def test_existing_checkpoint_needs_resume(self):
        with tempfile.TemporaryDirectory() as folder:
            train_epochs(plan_in(Path(folder), 1), SimpleNamespace(), quiet)
            (Path(folder) / "final.pt").unlink()
            with self.assertRaises(SystemExit):
                train_epochs(plan_in(Path(folder), 2), SimpleNamespace(), quiet)

    def test_budget_stops_after_first_epoch(self):
        with tempfile.TemporaryDirectory() as folder:
            final = train_epochs(plan_in(Path(folder), 5, time_budget_minutes=0), SimpleNamespace(), quiet)
            self.assertEqual(len(final["history"]), 1)

    def test_selection_keeps_best_epoch(self):
        with tempfile.TemporaryDirectory() as folder:
            final = train_epochs(plan_in(Path(folder), 3, scores=[0.2, 0.9, 0.4]), SimpleNamespace(), quiet)
            self.assertEqual(final["chosen"], "epoch 2")
            saved = torch.load(Path(folder) / "checkpoints" / "epoch002.pt")["model"]
            torch.testing.assert_close(final["model"]["weight"], saved["weight"], rtol=0, atol=0)

    def test_selection_starts_at_the_first_candidate_epoch(self):
        with tempfile.TemporaryDirectory() as folder:
            # epoch 1 scores best, but later epochs trained on other data: only epochs 2-4 may be chosen; the
            # average of the last 2 (epochs 3-4, validated once more: 0.3) loses to epoch 2
            plan = plan_in(Path(folder), 4, scores=[0.9, 0.5, 0.2, 0.4, 0.3], first_candidate_epoch=2, average_last=2)
            final = train_epochs(plan, SimpleNamespace(), quiet)
            self.assertEqual(final["chosen"], "epoch 2")

    def test_a_run_stopped_before_the_first_candidate_epoch_keeps_its_last_epoch_and_says_so(self):
        with tempfile.TemporaryDirectory() as folder:
            messages = []
            plan = plan_in(Path(folder), 2, scores=[0.9, 0.5], first_candidate_epoch=5)
            final = train_epochs(plan, SimpleNamespace(), messages.append)
            self.assertEqual(final["chosen"], "epoch 2")
            self.assertTrue(any("before the first candidate epoch 5" in message for message in messages), messages)


if __name__ == "__main__":
    unittest.main()
