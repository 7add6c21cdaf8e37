using System.ComponentModel.DataAnnotations;

namespace FeedbackHub.Web.Features.Privacy;

/// <summary>Data-protection settings (section <c>Privacy</c>), checked at start-up.</summary>
public sealed class PrivacyOptions
{
    public const string Section = "Privacy";

    /// <summary>
    /// Months after which the free text of survey answers is deleted (the chosen reason and labels stay,
    /// so the figures do not change); 0 keeps the text forever.
    /// </summary>
    [Range(0, 1200, ErrorMessage = "Privacy:SurveyTextRetentionMonths must be between 0 (keep forever) and 1200 months.")]
    public int SurveyTextRetentionMonths { get; set; } = 24;

    /// <summary>
    /// A secret mixed into the hash that keeps erased addresses on the suppression list, so a copy of the
    /// database alone cannot confirm whether someone was erased. Set it once: changing it makes earlier
    /// erasures unrecognisable (those people could be emailed again).
    /// </summary>
    [MaxLength(200, ErrorMessage = "Privacy:ErasurePepper must be at most 200 characters.")]
    public string ErasurePepper { get; set; } = "";
}
