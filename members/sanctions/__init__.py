"""Party sanctions (党纪处分): dated records on a member, recorded by sub-district staff only."""
