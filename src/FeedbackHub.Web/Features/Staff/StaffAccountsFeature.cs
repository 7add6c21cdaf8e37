using FeedbackHub.Data.Staff;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;

namespace FeedbackHub.Web.Features.Staff;

public static class StaffAccountsFeature
{
    public const string LoginPath = "/account/login";
    public const string LogoutPath = "/account/logout";

    /// <summary>Cookie sign-in for staff, role-based authorization (signed-in by default), first-run setup.</summary>
    public static WebApplicationBuilder AddStaffAccounts(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddStaffIdentityCore();
        services.AddCascadingAuthenticationState();
        services.AddScoped<IdentityRedirectManager>();
        services.AddScoped<AuthenticationStateProvider, StaffRevalidatingAuthenticationStateProvider>();
        services.AddAuthentication(options =>
            {
                options.DefaultScheme = IdentityConstants.ApplicationScheme;
                options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies();
        services.ConfigureApplicationCookie(options =>
        {
            options.Cookie.Name = "FeedbackHub.Staff";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.LoginPath = LoginPath;
            options.LogoutPath = LogoutPath;
            options.ExpireTimeSpan = TimeSpan.FromHours(8);
            options.SlidingExpiration = true;
            options.Events.OnRedirectToAccessDenied = Forbidden;
        });
        // Checked on every request: disabling an account or changing its roles takes effect at once.
        services.Configure<SecurityStampValidatorOptions>(options => options.ValidationInterval = TimeSpan.Zero);
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        services.AddScoped<FirstRunSetup>();
        services.AddHostedService<FirstRunSetupAnnouncer>();
        return builder;
    }

    public static IEndpointRouteBuilder MapStaffAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // A POST with an antiforgery token, so no link, prefetch or other site can log anyone out.
        endpoints.MapPost(LogoutPath, async Task<Results<RedirectHttpResult, ProblemHttpResult>> (
                HttpContext context, IAntiforgery antiforgery, SignInManager<StaffUser> signInManager) =>
            {
                if (!await antiforgery.IsRequestValidAsync(context))
                {
                    return TypedResults.Problem("The form has expired; reload the page and try again.",
                        statusCode: StatusCodes.Status400BadRequest);
                }

                await signInManager.SignOutAsync();
                return TypedResults.LocalRedirect("~" + LoginPath);
            })
            .AllowAnonymous()
            .DisableAntiforgery();
        return endpoints;
    }

    /// <summary>A signed-in user without the role gets 403 (rendered by the status page), not a redirect.</summary>
    private static Task Forbidden(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context)
    {
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return Task.CompletedTask;
    }
}
