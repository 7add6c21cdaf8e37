namespace FeedbackHub.Web.Features.Reasons;

/// <summary>
/// Which human-labelled answers judge retrained models instead of training them: about
/// <see cref="Share"/> of each reason's answers, chosen by a keyed hash of the answer's id with a fixed
/// seed. Not a fresh shuffle per run: an answer held out once is held out for good, so no model
/// version ever trained on the answers it is compared on, and versions trained months apart are
/// judged fairly against each other. Changing the seed or the share would break that; they are not settings.
/// </summary>
public static class HeldOutSplit
{
    public const double Share = 0.2;

    private const ulong Seed = 0x6A09E667F3BCC909;

    public static bool IsHeldOut(long responseId) => Unit(unchecked((ulong)responseId) ^ Seed) < Share;

    /// <summary>SplitMix64's finaliser: neighbouring ids land far apart, so every label gets its share.</summary>
    private static double Unit(ulong x)
    {
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EB;
        x ^= x >> 31;
        return (x >> 11) * (1.0 / (1UL << 53));
    }
}
