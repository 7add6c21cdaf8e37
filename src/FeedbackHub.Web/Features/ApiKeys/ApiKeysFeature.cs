using FeedbackHub.Data.ApiKeys;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace FeedbackHub.Web.Features.ApiKeys;

public static class ApiKeysFeature
{
    public const string IngestPolicy = "api:" + ApiScopes.Ingest;
    public const string ReadPolicy = "api:" + ApiScopes.Read;
    public const string CampaignsPolicy = "api:" + ApiScopes.Campaigns;
    public const string PrivacyPolicy = "api:" + ApiScopes.Privacy;

    /// <summary>API-key authentication and one authorization policy per scope (API keys only, never staff cookies).</summary>
    public static IHostApplicationBuilder AddApiKeys(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddScoped<ApiKeyService>();
        builder.Services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, _ => { });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(IngestPolicy, Scope(ApiScopes.Ingest))
            .AddPolicy(ReadPolicy, Scope(ApiScopes.Read))
            .AddPolicy(CampaignsPolicy, Scope(ApiScopes.Campaigns))
            .AddPolicy(PrivacyPolicy, Scope(ApiScopes.Privacy));
        return builder;
    }

    private static AuthorizationPolicy Scope(string scope) =>
        new AuthorizationPolicyBuilder(ApiKeyAuthenticationHandler.SchemeName)
            .RequireAuthenticatedUser()
            .RequireClaim(ApiKeyAuthenticationHandler.ScopeClaim, scope)
            .Build();
}
