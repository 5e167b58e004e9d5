package schema

import (
	"sort"
	"testing"
)

// TestCronProblem checks the cron fields of EventBridge's documented
// examples pass and near misses do not.
func TestCronProblem(t *testing.T) {
	valid := []string{
		"0 10 * * ? *", "15 12 * * ? *", "0 18 ? * MON-FRI *", "0 8 1 * ? *",
		"0/15 * * * ? *", "0/10 * ? * MON-FRI *", "0/5 8-17 ? * MON-FRI *", "0 9 ? * 2#1 *",
		"0 0 L * ? *", "0 0 LW * ? *", "0 0 3W * ? *", "0 0 ? * L *", "0 0 ? * 6L *",
		"0 0 1 jan,Jul ? 2025-2030", "*/30 */2 * * ? *", "5,35 0-23/2 1-7 * ? 1970",
	}
	for _, fields := range valid {
		if p := cronProblem(fields); p != "" {
			t.Errorf("cron(%s): unexpected problem %q", fields, p)
		}
	}
	invalid := []string{
		"0 10 * * *", "0 10 * * ? * *", "0 10 * * MON *", "0 10 ? * ? *", "60 10 * * ? *",
		"0 24 * * ? *", "0 0 0 * ? *", "0 0 1 13 ? *", "0 0 1 JUNE ? *", "0 0 ? * 8 *",
		"0 0 1 * ? 2200", "0/0 * * * ? *", "0 0 32W * ? *", "0 0 ? * 2#0 *", "0 0 ? * 2#10 *",
		"0,,5 0 * * ? *", "? 0 * * ? *", "0 0 L5 * ? *", "a 0 * * ? *", "0 0 1-32 * ? *",
	}
	for _, fields := range invalid {
		if cronProblem(fields) == "" {
			t.Errorf("cron(%s): no problem reported", fields)
		}
	}
}

// TestIANATimeZonesSorted guards the binary search in checkTimezone.
func TestIANATimeZonesSorted(t *testing.T) {
	if !sort.StringsAreSorted(ianaTimeZones) {
		t.Fatal("ianaTimeZones is not sorted")
	}
	for _, name := range []string{"UTC", "Europe/Paris", "America/New_York", "Asia/Kolkata"} {
		if i := sort.SearchStrings(ianaTimeZones, name); i == len(ianaTimeZones) || ianaTimeZones[i] != name {
			t.Errorf("%s missing", name)
		}
	}
}
