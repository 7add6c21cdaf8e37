using FeedbackHub.Data.Database;
using FeedbackHub.Web.Features.Email.Templates;
using Microsoft.Extensions.Options;

namespace FeedbackHub.Web.Features.Email;

public static class EmailFeature
{
    /// <summary>Email settings checked at start-up (a bad SMTP port stops the app at boot) and the transport they choose.</summary>
    public static IHostApplicationBuilder AddEmail(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(services => MailTransportPool.FromOptions(
            services.GetRequiredService<IOptions<EmailOptions>>(), services.GetRequiredService<StorageSettings>()));
        builder.Services.AddSingleton<UnsubscribeLinks>();
        builder.Services.AddScoped<EmailRenderer>();
        builder.Services.AddScoped<EmailConsent>();
        builder.Services.AddScoped<Outbox>();
        builder.Services.AddSingleton<OutboxDispatcher>();
        builder.Services.AddHostedService(services => services.GetRequiredService<OutboxDispatcher>());
        return builder;
    }
}
