using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace FeedbackHub.Web.Features.Staff;

/// <summary>On a start with no staff accounts, logs the one-time link that creates the first admin.</summary>
internal sealed partial class FirstRunSetupAnnouncer(
    IServiceScopeFactory scopeFactory,
    IHostApplicationLifetime lifetime,
    IServer server,
    ILogger<FirstRunSetupAnnouncer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var setup = scope.ServiceProvider.GetRequiredService<FirstRunSetup>();
        var token = await setup.IssueTokenIfNoStaffAsync(cancellationToken);
        if (token is not null)
        {
            // The listening address is known only once the server has started.
            lifetime.ApplicationStarted.Register(() => LogSetupLink(StaffLinks.Setup(PublicBaseUri(), token)));
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private Uri PublicBaseUri()
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost";
        var uri = new UriBuilder(address.Replace("://+", "://localhost", StringComparison.Ordinal)
            .Replace("://*", "://localhost", StringComparison.Ordinal));
        if (uri.Host is "0.0.0.0" or "[::]" or "::")
        {
            uri.Host = "localhost";
        }

        return uri.Uri;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "No staff account exists yet. Open {SetupLink} within 24 hours to create the first admin " +
        "(or run: feedbackhub users create-admin --email you@example.com). The link works once.")]
    private partial void LogSetupLink(Uri setupLink);
}
