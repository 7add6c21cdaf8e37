using System.ComponentModel.DataAnnotations;

namespace FeedbackHub.Web.Features.Churn;

/// <summary>
/// When a buyer counts as lapsed (section <c>Churn</c>), checked at start-up. A customer with several
/// orders lapses after max(<see cref="MinimumLapseDays"/>, <see cref="GapMultiplier"/> × their own median
/// days between orders) without an order; a one-time buyer after <see cref="SingleOrderLapseDays"/>.
/// </summary>
public sealed class ChurnOptions
{
    public const string Section = "Churn";

    /// <summary>No one lapses sooner than this, however often they used to order. Default 60 days.</summary>
    [Range(1, 3650, ErrorMessage = "Churn:MinimumLapseDays must be between 1 and 3650 days.")]
    public int MinimumLapseDays { get; set; } = 60;

    /// <summary>How many of their usual gaps a customer may skip before counting as lapsed. Default 3.</summary>
    [Range(1.0, 20.0, ErrorMessage = "Churn:GapMultiplier must be between 1 and 20.")]
    public double GapMultiplier { get; set; } = 3.0;

    /// <summary>Days after their only order that a one-time buyer counts as lapsed. Default 120 days.</summary>
    [Range(1, 3650, ErrorMessage = "Churn:SingleOrderLapseDays must be between 1 and 3650 days.")]
    public int SingleOrderLapseDays { get; set; } = 120;

    /// <summary>The smallest lapse any rule allows: customers with a more recent order need no further look.</summary>
    internal int ShortestLapseDays => Math.Min(MinimumLapseDays, SingleOrderLapseDays);
}
