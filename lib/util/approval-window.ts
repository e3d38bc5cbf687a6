/**
 * The size of the approval window, one value for both places that open it: the background
 * (lib/background/approvals.ts, on a 402) and the popup's "Review" (components/navigation.ts).
 * Pure, so pages and the background may both import it (tests/unit/boundaries.test.ts).
 * design.e2e checks the approval fits without scrolling at this size and at 440 × 620.
 */
export const APPROVAL_WINDOW = { width: 440, height: 720 } as const;
