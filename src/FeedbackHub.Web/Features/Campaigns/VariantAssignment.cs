using System.Security.Cryptography;
using FeedbackHub.Data.Campaigns;

namespace FeedbackHub.Web.Features.Campaigns;

/// <summary>
/// Puts a customer in the hold-out group or in one of the variants, at random, by the campaign's
/// shares. It is decided once per customer and campaign and stored, so the groups stay fixed.
/// </summary>
public static class VariantAssignment
{
    /// <summary>The variant for a uniform draw in [0, 1); null means the hold-out group.</summary>
    public static CampaignVariant? Choose(double draw, decimal holdoutShare, IReadOnlyList<CampaignVariant> variants)
    {
        ArgumentNullException.ThrowIfNull(variants);
        if (draw < (double)holdoutShare || variants.Count == 0)
        {
            return null;
        }

        // Spread the rest of the unit interval over the variants by weight.
        var position = (draw - (double)holdoutShare) / (1 - (double)holdoutShare) * variants.Sum(v => v.Weight);
        foreach (var variant in variants)
        {
            position -= variant.Weight;
            if (position < 0)
            {
                return variant;
            }
        }

        return variants[^1];
    }

    /// <summary>A uniform draw in [0, 1) from the cryptographic source (53 bits, all a double holds).</summary>
    public static double Draw() => (RandomNumberGenerator.GetInt32(1 << 26) * (double)(1L << 27) + RandomNumberGenerator.GetInt32(1 << 27)) / (1L << 53);
}
