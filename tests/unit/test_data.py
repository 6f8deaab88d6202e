"""nnbook.data: the pets batch and the drug-trial study."""

import numpy as np
import pytest

from nnbook import data


def test_pets_first_sample_is_the_worked_example():
    batch = data.pets()
    assert batch.names[0] == "Cat" and batch.labels[0] == 0
    np.testing.assert_array_equal(batch.predictions[0], [0.37, 0.50, 0.13])
    np.testing.assert_allclose(batch.predictions.sum(axis=1), 1.0)
    assert [data.PET_CLASSES[label] for label in batch.labels] == batch.names


def test_drug_trial_has_the_studys_groups():
    trial = data.drug_trial(seed=0, shuffle=False)
    assert trial.ages.shape == (2100,) and trial.x.shape == (2100, 1) and trial.labels.shape == (2100,)
    younger = trial.ages < data.AGE_OLDER
    assert younger.sum() == 1050
    assert trial.labels[younger].sum() == 50            # younger people with side effects
    assert (1 - trial.labels[~younger]).sum() == 50     # older people without
    assert trial.ages.min() >= 13 and trial.ages.max() <= 100


def test_drug_trial_is_scaled_to_the_unit_interval_by_the_age_range():
    trial = data.drug_trial(seed=3)
    np.testing.assert_allclose(trial.x[:, 0], (trial.ages - 13) / 87)
    assert 0.0 <= trial.x.min() and trial.x.max() <= 1.0
    assert data.scale_ages(13) == 0.0 and data.scale_ages(100) == 1.0


def test_drug_trial_is_reproducible_from_its_seed_and_varies_between_seeds():
    a, b, c = data.drug_trial(seed=5), data.drug_trial(seed=5), data.drug_trial(seed=6)
    np.testing.assert_array_equal(a.ages, b.ages)
    np.testing.assert_array_equal(a.labels, b.labels)
    assert not np.array_equal(a.ages, c.ages)


def test_shuffling_keeps_the_same_people():
    grouped, mixed = data.drug_trial(seed=1, shuffle=False), data.drug_trial(seed=1)
    assert sorted(zip(grouped.ages, grouped.labels)) != list(zip(mixed.ages, mixed.labels))
    assert mixed.labels.sum() == grouped.labels.sum() == 1050


@pytest.mark.parametrize("kwargs, error, match", [
    ({"seed": -1}, ValueError, r"seed must be at least 0"),
    ({"seed": 1.5}, TypeError, r"seed must be a whole number"),
    ({"typical": "10"}, TypeError, r"typical must be a whole number"),
])
def test_drug_trial_rejects_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        data.drug_trial(**kwargs)
