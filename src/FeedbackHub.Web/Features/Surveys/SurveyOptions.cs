using System.ComponentModel.DataAnnotations;

namespace FeedbackHub.Web.Features.Surveys;

/// <summary>Exit-survey settings (section <c>Surveys</c>), checked at start-up.</summary>
public sealed class SurveyOptions
{
    public const string Section = "Surveys";

    /// <summary>Days after the invitation that one reminder goes out if the survey is still unanswered. Default 5.</summary>
    [Range(1, 29, ErrorMessage = "Surveys:ReminderAfterDays must be between 1 and 29 days.")]
    public int ReminderAfterDays { get; set; } = 5;

    /// <summary>Days a survey link works. Default 30.</summary>
    [Range(1, 365, ErrorMessage = "Surveys:ExpiryDays must be between 1 and 365 days.")]
    public int ExpiryDays { get; set; } = 30;

    /// <summary>
    /// Only customers who churned this recently are invited, so the first detection run over years of
    /// imported history does not survey people who left long ago. Default 14 days.
    /// </summary>
    [Range(1, 365, ErrorMessage = "Surveys:InviteWithinDays must be between 1 and 365 days.")]
    public int InviteWithinDays { get; set; } = 14;

    /// <summary>Minutes the survey cookie (exchanged for the link's token) stays valid. Default 60.</summary>
    [Range(5, 1440, ErrorMessage = "Surveys:SessionMinutes must be between 5 and 1440 minutes.")]
    public int SessionMinutes { get; set; } = 60;

    /// <summary>Unknown survey links one address may open per minute before the answer is 429. Default 20.</summary>
    [Range(1, 10_000, ErrorMessage = "Surveys:TokenGuessesPerMinute must be between 1 and 10000.")]
    public int TokenGuessesPerMinute { get; set; } = 20;
}
