using System.ComponentModel.DataAnnotations;

namespace FeedbackHub.Web.Features.Housekeeping;

/// <summary>How long data that is no longer needed is kept (section <c>Housekeeping</c>), checked at start-up.</summary>
public sealed class HousekeepingOptions
{
    public const string Section = "Housekeeping";

    /// <summary>Days after sending that an email's body is emptied; the row itself stays for the figures.</summary>
    [Range(1, 3650, ErrorMessage = "Housekeeping:SentEmailBodyDays must be between 1 and 3650 days.")]
    public int SentEmailBodyDays { get; set; } = 90;

    /// <summary>Hours after uploading that a CSV file nobody imported is deleted.</summary>
    [Range(1, 8760, ErrorMessage = "Housekeeping:UnimportedUploadHours must be between 1 and 8760 hours.")]
    public int UnimportedUploadHours { get; set; } = 24;
}
