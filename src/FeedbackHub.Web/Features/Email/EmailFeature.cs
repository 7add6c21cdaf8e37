using FeedbackHub.Data.Database;
using Microsoft.Extensions.Options;

namespace FeedbackHub.Web.Features.Email;

public static class EmailFeature
{
    /// <summary>Email settings checked at start-up (a bad SMTP port stops the app at boot) and the transport they choose.</summary>
    public static IHostApplicationBuilder AddEmail(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(services => MailTransportFactory.Create(
            services.GetRequiredService<IOptions<EmailOptions>>(), services.GetRequiredService<StorageSettings>()));
        builder.Services.AddScoped<Outbox>();
        builder.Services.AddSingleton<OutboxDispatcher>();
        builder.Services.AddHostedService(services => services.GetRequiredService<OutboxDispatcher>());
        return builder;
    }
}
