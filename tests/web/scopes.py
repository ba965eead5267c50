"""The demo database's roles and region scopes, shared by the web tests' authorisation matrices.

Demo assignments (ronghe.web.demo): editor -> 330000 (Zhejiang), viewer -> 330100 (Hangzhou);
admin and analyst read everything. Regions: 330102 (Hangzhou, in every scope), 330302 (Wenzhou:
editor yes, viewer no), 520102 (Guiyang: only admin and analyst)."""

ROLES = ("admin", "analyst", "editor", "viewer")
REGIONS = ("330102", "330302", "520102")
READS = {"admin": set(REGIONS), "analyst": set(REGIONS), "editor": {"330102", "330302"},
         "viewer": {"330102"}}
WRITES = {"admin": set(REGIONS), "analyst": set(), "editor": {"330102", "330302"},
          "viewer": set()}
