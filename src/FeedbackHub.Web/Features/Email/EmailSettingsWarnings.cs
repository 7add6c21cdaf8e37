using Microsoft.Extensions.Options;

namespace FeedbackHub.Web.Features.Email;

/// <summary>
/// Says at start-up which email settings are valid but not ready for real customers: start-up
/// goes on (the embedded default must run as it is), but the operator reads what is missing.
/// </summary>
public sealed partial class EmailSettingsWarnings(IOptions<EmailOptions> options, IHostEnvironment environment, ILogger<EmailSettingsWarnings> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var email = options.Value;
        if (string.IsNullOrWhiteSpace(email.PostalAddress))
        {
            LogNoPostalAddress();
        }

        if (email.PublicBaseUrl.Scheme != Uri.UriSchemeHttps && !environment.IsDevelopment())
        {
            LogNotHttps(email.PublicBaseUrl);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Email:PostalAddress is not set: offers are stored as skipped instead of sent (marketing email must show the sender's postal address)")]
    private partial void LogNoPostalAddress();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Email:PublicBaseUrl is {Url}: links in emails (unsubscribe, surveys, invitations) should use HTTPS")]
    private partial void LogNotHttps(Uri url);
}
