using System.Security.Claims;
using System.Text.Encodings.Web;
using FeedbackHub.Web.Features.Api;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace FeedbackHub.Web.Features.ApiKeys;

/// <summary>Authenticates <c>Authorization: Bearer fh_…</c> against the stored API keys.</summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyService keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string ScopeClaim = "scope";
    public const string KeyIdClaim = "api_key_id";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var key = await keys.FindActiveAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        if (key is null)
        {
            return AuthenticateResult.Fail("The API key is unknown or revoked.");
        }

        Claim[] claims =
        [
            new(ClaimTypes.NameIdentifier, $"apikey:{key.KeyId}"),
            new(ClaimTypes.Name, key.Name),
            new(KeyIdClaim, key.KeyId),
            .. key.ScopeList.Select(scope => new Claim(ScopeClaim, scope)),
        ];
        return AuthenticateResult.Success(new AuthenticationTicket(
            new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return ApiFeature.WriteProblemAsync(Context, StatusCodes.Status401Unauthorized,
            "An API key is required: send 'Authorization: Bearer fh_…'. Admins create keys on the API keys page.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiFeature.WriteProblemAsync(Context, StatusCodes.Status403Forbidden, "This API key does not have the scope this endpoint needs.");
}
