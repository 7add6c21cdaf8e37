using Microsoft.AspNetCore.Diagnostics;

namespace FeedbackHub.Web.Features;

public static class CustomerLinkPages
{
    /// <summary>
    /// What every page a customer reaches from an email link shares: no caching (the link is a credential
    /// and the page may hold personal answers) and our own complete page for every status instead of the
    /// generic status-code page. (No Referer leaves any page: see <see cref="Security.SecurityHeaders"/>.)
    /// </summary>
    public static RouteGroupBuilder AsCustomerLinkPages(this RouteGroupBuilder group)
    {
        ArgumentNullException.ThrowIfNull(group);
        group.AllowAnonymous().ExcludeFromDescription().AddEndpointFilter(async (context, next) =>
        {
            context.HttpContext.Response.Headers.CacheControl = "no-store";
            context.HttpContext.Features.Get<IStatusCodePagesFeature>()?.Enabled = false;
            return await next(context);
        });
        return group;
    }
}
