using FeedbackHub.Data.Database;
using FeedbackHub.Web.Features.Email.Templates;
using FeedbackHub.Web.Features.Metrics;
using Microsoft.Extensions.Options;

namespace FeedbackHub.Web.Features.Email;

public static class EmailFeature
{
    /// <summary>Email settings checked at start-up (a bad SMTP port stops the app at boot) and the transport they choose.</summary>
    public static IHostApplicationBuilder AddEmail(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddEmailQueueing();
        builder.Services.AddOptions<EmailOptions>().ValidateOnStart();
        builder.Services.AddHostedService<EmailSettingsWarnings>();
        builder.Services.AddSingleton(services => MailTransportPool.FromOptions(
            services.GetRequiredService<IOptions<EmailOptions>>(), services.GetRequiredService<StorageSettings>()));
        builder.Services.AddFeedbackHubMetrics();
        builder.Services.AddSingleton<OutboxDispatcher>();
        builder.Services.AddScoped<Admin.MailAdministration>();
        builder.Services.AddScoped<Admin.EmailTextEditor>();
        builder.Services.AddHostedService(services => services.GetRequiredService<OutboxDispatcher>());
        return builder;
    }

    /// <summary>What it takes to write emails into the outbox (the command line queues too, but only the app sends).</summary>
    public static IServiceCollection AddEmailQueueing(this IServiceCollection services)
    {
        services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.Section).ValidateDataAnnotations();
        services.AddSingleton<UnsubscribeLinks>();
        services.AddScoped<EmailRenderer>();
        services.AddScoped<EmailConsent>();
        services.AddScoped<Outbox>();
        return services;
    }
}
