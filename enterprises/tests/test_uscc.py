import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from enterprises.uscc import ALPHABET, WEIGHTS, check_character, normalise_uscc, uscc_problem, validate_uscc


def test_weights_are_the_standards():
    assert WEIGHTS == [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    assert len(ALPHABET) == 31
    assert not set("IOZSV") & set(ALPHABET)


@pytest.mark.parametrize("code", ["91310110666007217T", "91310115591693856A"])
def test_the_worked_examples_of_domain_md_are_valid(code):
    assert uscc_problem(code) is None
    validate_uscc(code)


def test_the_worked_example_sum():
    # DOMAIN.md §6: for 91310110666007217T the weighted sum is 966, 966 mod 31 = 5, 31 - 5 = 26 -> 'T'.
    total = sum(ALPHABET.index(c) * w for c, w in zip("91310110666007217", WEIGHTS, strict=True))
    assert total == 966
    assert check_character("91310110666007217") == "T"


def test_a_remainder_of_zero_gives_check_character_zero():
    # Find a body whose weighted sum is a multiple of 31: the check character must then be '0', not ALPHABET[31].
    body = "9137030500000000"
    for last in ALPHABET:
        candidate = body + last
        if sum(ALPHABET.index(c) * w for c, w in zip(candidate, WEIGHTS, strict=True)) % 31 == 0:
            assert check_character(candidate) == "0"
            assert uscc_problem(candidate + "0") is None
            return
    pytest.fail("no remainder-0 body found")


def test_lower_case_spaces_and_hyphens_are_normalised():
    assert normalise_uscc(" 9131-0110 6660 07217t ") == "91310110666007217T"
    validate_uscc("91310110666007217t")


@pytest.mark.parametrize(
    ("code", "says"),
    [
        ("91310110666007217", "18 个字符"),
        ("91310110666007217TX", "18 个字符"),
        ("9131011066600721IT", "I"),
        ("91310110666007217A", "应为 T"),
    ],
)
def test_a_wrong_code_says_what_is_wrong_in_chinese(code, says):
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as error:
            validate_uscc(code)
        assert says in error.value.messages[0]


def test_a_mistyped_character_is_caught_by_the_check_character():
    valid = "91310115591693856A"
    mistyped = valid[:5] + "2" + valid[6:]  # one digit changed
    assert uscc_problem(mistyped) is not None
