using System.ComponentModel.DataAnnotations;

namespace FeedbackHub.Web.Features.Analytics;

/// <summary>Settings of the retention and campaign figures (section <c>Analytics</c>), checked at start-up.</summary>
public sealed class AnalyticsOptions
{
    public const string Section = "Analytics";

    /// <summary>
    /// The share of revenue the shop keeps after the cost of the goods sold, in percent: the incremental
    /// margin of a campaign is its incremental revenue times this, minus the discounts it gave. Default 40.
    /// </summary>
    [Range(typeof(decimal), "0", "100", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true,
        ErrorMessage = "Analytics:GrossMarginPercent must be between 0 and 100 percent.")]
    public decimal GrossMarginPercent { get; set; } = 40m;
}
