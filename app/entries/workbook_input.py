"""How a value goes into a yellow input cell of the entry workbook, rule by rule: the exact text
`parse_entry` reads back (`render`), an Excel number when one survives the trip, the hint that completes
"Cách tính", the data validation (a warning, never a refusal: the import decides) and the prefilled value.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from openpyxl.worksheet.datavalidation import DataValidation

from app.entries.values import EntryRefused, number_text, parse_indicator_entry, render
from app.entries.workbook_layout import TEXT, YES_NO
from app.scoring.model import Indicator
from app.scoring.numbers import format_vn, parse_decimal, plain
from app.scoring.rules import BestInGroupRule, ChoiceRule, CountRule, PartsRule, Ratio, RatioRule, TiersRule, YesNoRule


def excel_number(value: Decimal, lang: str) -> int | float | str:
    """An Excel number when it survives the trip exactly, else exact text."""
    if value == value.to_integral_value() and abs(value) < 10 ** 15:
        return int(value)
    number = float(value)
    if math.isfinite(number) and float(f"{number:.16g}") == number and parse_decimal(repr(number)) == value:
        return number
    return number_text(value, "vi")


def _text(value: Any, lang: str) -> str:
    """A value as exact text for the template. Numbers are written the Vietnamese way in every template
    language, as the one reader reads them (app.entries.numbers: 1234,56 and 3,5/7, never 1234.56, which it
    refuses as ambiguous); yes/no and labels in the template's language."""
    return render(value, "vi" if isinstance(value, (Decimal, Ratio)) else lang)


class Validations:
    """One DataValidation per kind of rule (Excel keeps them per range list), added at the end."""

    def __init__(self, lang: str) -> None:
        self.text = TEXT[lang]
        self.lang = lang
        self.by_key: dict[tuple, DataValidation] = {}

    def _make(self, key: tuple, **kw: Any) -> DataValidation:
        dv = self.by_key.get(key)
        if dv is None:
            dv = DataValidation(allow_blank=True, showErrorMessage=True, errorStyle="warning",
                                errorTitle=self.text["dv_title"], **kw)
            self.by_key[key] = dv
        return dv

    def decimal(self, coordinate: str, maximum: Decimal | None) -> None:
        if maximum is None:
            dv = self._make(("ge0",), type="decimal", operator="greaterThanOrEqual", formula1="0",
                            error=self.text["dv_ge0"])
        else:
            shown = format_vn(maximum, 2 if maximum != maximum.to_integral_value() else 0) if self.lang == "vi" \
                else plain(maximum)
            dv = self._make(("max", maximum), type="decimal", operator="between", formula1="0",
                            formula2=plain(maximum), error=self.text["dv_decimal"].format(max=shown))
        dv.add(coordinate)

    def whole(self, coordinate: str) -> None:
        self._make(("whole",), type="whole", operator="greaterThanOrEqual", formula1="0",
                   error=self.text["dv_whole"]).add(coordinate)

    def yes_no(self, coordinate: str) -> None:
        yes, no = YES_NO.get(self.lang, YES_NO["vi"])
        self._make(("yes_no",), type="list", formula1=f'"{yes},{no}"', error=self.text["dv_list"]).add(coordinate)

    def listed(self, coordinate: str, code: str, reference: str) -> None:
        self._make(("list", code), type="list", formula1=reference, error=self.text["dv_list"]).add(coordinate)

    def install(self, ws: Any) -> None:
        for dv in self.by_key.values():
            ws.add_data_validation(dv)


def leaf_input(node: Indicator, lang: str) -> tuple[str, str]:
    """(mode, hint): 'number' cells take Excel numbers (General format), 'text' cells are formatted as
    text so that Excel does not turn 3/4 into a date or "1,2" into 1.2; the hint completes Cách tính."""
    text = TEXT[lang]
    rule = node.rule
    if isinstance(rule, ChoiceRule):
        return "text", text["hint_choice"].format(n=len(rule.options))
    if isinstance(rule, PartsRule):
        return "text", text["hint_parts"].format(n=len(rule.parts))
    if isinstance(rule, YesNoRule):
        return "text", ""
    if isinstance(rule, (RatioRule, TiersRule, BestInGroupRule)):
        denominator = getattr(rule, "denominator", None)
        if isinstance(rule, TiersRule) and rule.on != "share":
            return "number", ""
        if denominator:
            return "number", "" if isinstance(rule, RatioRule) else text["hint_a"].format(info=denominator)
        if isinstance(rule, TiersRule):
            return "text", text["hint_share"]
        if isinstance(rule, BestInGroupRule):
            return "text", text["hint_value"]
        return "text", ""
    return "number", ""  # points, count


def validate(validations: Validations, node: Indicator, group: str, coordinate: str, list_ref: str | None) -> None:
    rule = node.rule
    if isinstance(rule, YesNoRule):
        validations.yes_no(coordinate)
    elif isinstance(rule, ChoiceRule):
        if list_ref:
            validations.listed(coordinate, node.code, list_ref)
    elif isinstance(rule, CountRule) or (isinstance(rule, TiersRule) and rule.on != "share"):
        validations.whole(coordinate)
    elif isinstance(rule, (RatioRule, TiersRule, BestInGroupRule)):
        if getattr(rule, "denominator", None):  # only a is entered: a number
            validations.decimal(coordinate, None)
    elif not isinstance(rule, PartsRule):  # points
        validations.decimal(coordinate, node.max[group])


def prefill(node: Indicator, group: str, value: Any, mode: str, info: dict[str, Any], lang: str) -> Any:
    if value is None:
        return None
    if isinstance(node.rule, ChoiceRule):
        option = next((o for o in node.rule.options if o.code == value), None)
        if option is not None:  # the label, as in the drop-down list, when it reads back to this option
            try:
                if parse_indicator_entry(node, group, option.label, info) == value:
                    return option.label
            except EntryRefused:
                pass
        return str(value)
    if mode == "number" and isinstance(value, Decimal):
        return excel_number(value, lang)
    return _text(value, lang)


def info_prefill(value: Any, lang: str) -> Any:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return excel_number(value, lang)
    return _text(value, lang)
