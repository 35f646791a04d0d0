"""Independent-site subsidy rules as data, and the calculator that applies them.

`rules` loads and validates the rule language (`data/subsidy/city_*.yaml`),
`profile` checks an enterprise profile, `calc` applies one to the other with a
trace, `sizes` tabulates the cities across enterprise sizes.
"""

from zonescope.subsidy.calc import calculate
from zonescope.subsidy.profile import Profile, build_profile, read_profile
from zonescope.subsidy.rules import RuleSet, bundled_rules, parse_rules, read_rules
from zonescope.subsidy.sizes import compare_sizes, size_profiles

__all__ = ["Profile", "RuleSet", "build_profile", "bundled_rules", "calculate", "compare_sizes",
           "parse_rules", "read_profile", "read_rules", "size_profiles"]
