package trace

// The rules a reconciliation checks, by the name discrepancies.csv gives
// them. Place and time rules judge each scan against the plan; code rules
// judge each pack code over all its scans. A code rule that puts the code
// itself in doubt (malformed, unknown, duplicate) stops the pairing rules
// for that code: its pickups and receipts cannot be paired.
const (
	// Place and time rules (per scan, or per planned stop).
	RuleUnknownPlace    = "unknown_place"    // the place is neither an outlet nor a plant of the plan's inputs
	RuleUnplannedPickup = "unplanned_pickup" // picked where or when the plan has no stop
	RuleOverduePickup   = "overdue_pickup"   // a stop picked up so late that the outlet's storage limit was passed

	// Code rules.
	RuleMalformedCode = "malformed_code" // not a GB/T 34014 code
	RuleUnknownCode   = "unknown_code"   // well formed but in no outlet's inventory (when one is given)
	RuleDuplicateCode = "duplicate_code" // one code picked or received more than once: two packs, one code

	// Pairing rules (one pickup and its receipt).
	RuleCustodyGap        = "custody_gap"            // picked up, not received within the tolerance
	RuleReceivedNotPicked = "received_not_picked"    // received without a pickup
	RuleReceiptBefore     = "receipt_before_pickup"  // received before it was picked up
	RuleWrongConsignee    = "wrong_consignee"        // received elsewhere than the plant its trip delivers to
	RuleWeightMismatch    = "weight_mismatch"        // weights disagree by more than the tolerance
	RuleOtherOutlet       = "picked_at_other_outlet" // picked at an outlet other than the one holding it (inventory)
)

// Rules lists every rule in the order summaries print them, with what it
// means.
var Rules = []struct{ Name, Means string }{
	{RuleCustodyGap, "picked up but not received within the tolerance"},
	{RuleReceivedNotPicked, "received at a plant without a pickup scan"},
	{RuleUnplannedPickup, "picked up where or when the plan has no stop"},
	{RuleOverduePickup, "a stop picked up late enough to overfill the outlet"},
	{RuleWeightMismatch, "weights at pickup, receipt (or in the inventory) disagree"},
	{RuleDuplicateCode, "one code scanned as two packs"},
	{RuleMalformedCode, "not a GB/T 34014 pack code"},
	{RuleUnknownCode, "a well-formed code in no outlet's inventory"},
	{RuleWrongConsignee, "received elsewhere than the trip's plant"},
	{RuleReceiptBefore, "received before it was picked up"},
	{RuleOtherOutlet, "picked up at an outlet other than the one holding it"},
	{RuleUnknownPlace, "scanned at a place the plan does not know"},
}
