// Shared by every test target (as swift-numerics' `_TestSupport`): one definition of "close" so that
// a tolerance means the same thing in every suite.

/// Whether `ours` is within `absolute + relative * |theirs|` of `theirs`; two NaNs (NA on both
/// sides) are close, a NaN against a number is not.
public func isClose(_ ours: Double, _ theirs: Double, relative: Double = 0, absolute: Double = 0) -> Bool {
    if ours.isNaN || theirs.isNaN { return ours.isNaN && theirs.isNaN }
    if ours == theirs { return true }
    return abs(ours - theirs) <= absolute + relative * abs(theirs)
}
