using System.ComponentModel.DataAnnotations;
using System.Net.Mail;
using FeedbackHub.Data.Customers;

namespace FeedbackHub.Web.Features.Email;

/// <summary>How email leaves FeedbackHub (section <c>Email</c>), checked at start-up.</summary>
public sealed class EmailOptions : IValidatableObject
{
    public const string Section = "Email";

    /// <summary>The sender address of every email.</summary>
    [Required]
    public string FromAddress { get; set; } = "feedbackhub@localhost";

    public string FromName { get; set; } = "FeedbackHub";

    /// <summary>Where customers and staff reach this installation; every link in an email starts with it (use HTTPS in production).</summary>
    public Uri PublicBaseUrl { get; set; } = new("http://localhost:5000/");

    /// <summary>The sender's postal address, printed in every marketing email; without it, offers are not sent.</summary>
    public string? PostalAddress { get; set; }

    /// <summary>The language for customers whose own is unknown or not supported (<c>en</c> or <c>nl</c>).</summary>
    public string DefaultLocale { get; set; } = CustomerLocales.English;

    /// <summary>The time zone for quiet hours when a customer's own is unknown.</summary>
    public string DefaultTimeZone { get; set; } = "Europe/Amsterdam";

    /// <summary>The shop's own zone (<see cref="DefaultTimeZone"/>): campaign days and report periods are days there. Validated at start-up.</summary>
    public TimeZoneInfo ShopZone => TimeZoneInfo.FindSystemTimeZoneById(DefaultTimeZone);

    /// <summary>Today's date in the shop's zone.</summary>
    public DateOnly ShopToday(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), ShopZone).Date);
    }

    public ConsentSettings Consent { get; set; } = new();

    public SmtpSettings Smtp { get; set; } = new();

    /// <summary>Folder for .eml files when no SMTP host is set; default <c>mail-pickup</c> in the data folder.</summary>
    public string? PickupDirectory { get; set; }

    /// <summary>True when mail goes to an SMTP relay rather than to the pickup folder.</summary>
    public bool UsesSmtp => Smtp.Host is { Length: > 0 };

    /// <summary>The pickup folder in use when no SMTP host is set: <see cref="PickupDirectory"/>, or <c>mail-pickup</c> in the data folder.</summary>
    public string PickupFolder(Data.Database.StorageSettings storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        return PickupDirectory ?? storage.SubDirectory("mail-pickup");
    }

    public DispatcherSettings Dispatcher { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!MailAddress.TryCreate(FromAddress, out _))
        {
            yield return new($"Email:FromAddress '{FromAddress}' is not a valid email address.", [nameof(FromAddress)]);
        }

        if (!PublicBaseUrl.IsAbsoluteUri || PublicBaseUrl.Scheme is not ("http" or "https"))
        {
            yield return new($"Email:PublicBaseUrl must be an absolute http(s) address; got '{PublicBaseUrl}'.", [nameof(PublicBaseUrl)]);
        }

        if (!CustomerLocales.IsSupported(DefaultLocale))
        {
            yield return new($"Email:DefaultLocale must be one of {string.Join(", ", CustomerLocales.All)}; got '{DefaultLocale}'.", [nameof(DefaultLocale)]);
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(DefaultTimeZone, out _))
        {
            yield return new($"Email:DefaultTimeZone '{DefaultTimeZone}' is not a known time zone.", [nameof(DefaultTimeZone)]);
        }

        if (Consent.FatigueCap is < 1 or > 100)
        {
            yield return new("Email:Consent:FatigueCap must be between 1 and 100 emails per 7 days.", ["Consent.FatigueCap"]);
        }

        if (Dispatcher.BatchSize is < 1 or > 10_000)
        {
            yield return new("Email:Dispatcher:BatchSize must be between 1 and 10000.", ["Dispatcher.BatchSize"]);
        }

        if (Dispatcher.Connections is < 1 or > 64)
        {
            yield return new("Email:Dispatcher:Connections must be between 1 and 64.", ["Dispatcher.Connections"]);
        }

        if (Dispatcher.MaxPerSecond < 0)
        {
            yield return new("Email:Dispatcher:MaxPerSecond must be 0 (no limit) or more.", ["Dispatcher.MaxPerSecond"]);
        }
        else if (Dispatcher.MaxPerSecond > 0 && TimeSpan.FromSeconds(2.0 * Dispatcher.BatchSize / Dispatcher.MaxPerSecond) > Dispatcher.Lease)
        {
            // A batch must be sent well within its lease, or another dispatcher could take rows still being sent.
            yield return new("Email:Dispatcher:BatchSize is too large for MaxPerSecond: a batch must take at most half the Lease to send.", ["Dispatcher.BatchSize"]);
        }

        if (Dispatcher.MaxLag <= TimeSpan.Zero)
        {
            yield return new("Email:Dispatcher:MaxLag must be more than zero.", ["Dispatcher.MaxLag"]);
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

/// <summary>Rules shared by every customer-facing email (section <c>Email:Consent</c>).</summary>
public sealed class ConsentSettings
{
    /// <summary>At most this many customer emails of any kind per customer in a rolling 7 days.</summary>
    public int FatigueCap { get; set; } = 3;

    /// <summary>Quiet hours in the customer's time zone: a send due between start and end waits until the end.</summary>
    public TimeOnly QuietHoursStart { get; set; } = new(21, 0);

    public TimeOnly QuietHoursEnd { get; set; } = new(8, 0);
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
