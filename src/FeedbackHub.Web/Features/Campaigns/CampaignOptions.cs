namespace FeedbackHub.Web.Features.Campaigns;

/// <summary>Installation-wide campaign settings (section <c>Campaigns</c>).</summary>
public sealed class CampaignOptions
{
    public const string Section = "Campaigns";

    /// <summary>Where the thank-you's button leads; without it, the button is left out.</summary>
    public Uri? ShopUrl { get; set; }

    /// <summary>
    /// Orders placed longer ago than this earn no thank-you, so importing years of history does not
    /// email every old customer. Default 3 days (a shop that was offline for a weekend still thanks).
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan MaxOrderAge { get; set; } = TimeSpan.FromDays(3);

    /// <summary>Unknown-code answers one API key (or address) may get per minute before discount-code checks answer 429.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 100_000)]
    public int CodeGuessesPerMinute { get; set; } = 30;
}
