using System.ComponentModel.DataAnnotations;
using System.Net.Mail;

namespace FeedbackHub.Web.Features.Email;

/// <summary>How email leaves FeedbackHub (section <c>Email</c>), checked at start-up.</summary>
public sealed class EmailOptions : IValidatableObject
{
    public const string Section = "Email";

    /// <summary>The sender address of every email.</summary>
    [Required]
    public string FromAddress { get; set; } = "feedbackhub@localhost";

    public string FromName { get; set; } = "FeedbackHub";

    public SmtpSettings Smtp { get; set; } = new();

    /// <summary>Folder for .eml files when no SMTP host is set; default <c>mail-pickup</c> in the data folder.</summary>
    public string? PickupDirectory { get; set; }

    public DispatcherSettings Dispatcher { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!MailAddress.TryCreate(FromAddress, out _))
        {
            yield return new($"Email:FromAddress '{FromAddress}' is not a valid email address.", [nameof(FromAddress)]);
        }

        if (Dispatcher.BatchSize is < 1 or > 10_000)
        {
            yield return new("Email:Dispatcher:BatchSize must be between 1 and 10000.", ["Dispatcher.BatchSize"]);
        }

        if (Smtp.Host is not null)
        {
            if (Smtp.Port is < 1 or > 65_535)
            {
                yield return new($"Email:Smtp:Port must be between 1 and 65535; got {Smtp.Port}.", ["Smtp.Port"]);
            }

            if (string.IsNullOrEmpty(Smtp.UserName) != string.IsNullOrEmpty(Smtp.Password))
            {
                yield return new("Email:Smtp:UserName and Email:Smtp:Password must be set together.", ["Smtp.UserName"]);
            }
        }
    }
}

/// <summary>The SMTP relay; without a host, mail goes to the pickup folder instead.</summary>
public sealed class SmtpSettings
{
    public string? Host { get; set; }

    public int Port { get; set; } = 25;

    public bool UseStartTls { get; set; }

    public string? UserName { get; set; }

    public string? Password { get; set; }
}
