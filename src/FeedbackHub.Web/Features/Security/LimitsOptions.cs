using System.ComponentModel.DataAnnotations;

namespace FeedbackHub.Web.Features.Security;

/// <summary>
/// Limits of the pages people post to (section <c>Limits</c>), checked at start-up. The REST API has
/// its own per-key limits in <see cref="Api.ApiOptions"/>.
/// </summary>
public sealed class LimitsOptions
{
    public const string Section = "Limits";

    /// <summary>Posts of the account forms (log in, forgot password, setup, invitation) per address per minute. Default 10.</summary>
    [Range(1, 10_000, ErrorMessage = "Limits:AccountFormPostsPerMinute must be between 1 and 10000.")]
    public int AccountFormPostsPerMinute { get; set; } = 10;

    /// <summary>Survey answers posted per address per minute. Default 20 (a customer posts once or twice; an office may share an address).</summary>
    [Range(1, 100_000, ErrorMessage = "Limits:SurveyPostsPerMinute must be between 1 and 100000.")]
    public int SurveyPostsPerMinute { get; set; } = 20;

    /// <summary>
    /// Largest body of a form post (staff and account pages, survey, unsubscribe, log out), in bytes.
    /// Default 128 KiB: the longest field, a survey comment of 5,000 characters, takes at most 60 KB
    /// percent-encoded, and one a little too long must still reach the form's own "too long" message.
    /// The CSV upload and the API have limits of their own.
    /// </summary>
    [Range(16 * 1024, 10_000_000, ErrorMessage = "Limits:MaxFormBodyBytes must be between 16384 and 10000000.")]
    public long MaxFormBodyBytes { get; set; } = 128 * 1024;
}
