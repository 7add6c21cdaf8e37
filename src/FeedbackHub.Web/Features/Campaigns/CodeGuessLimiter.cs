using FeedbackHub.Web.Features.Api;
using Microsoft.Extensions.Options;

namespace FeedbackHub.Web.Features.Campaigns;

/// <summary>Unknown discount codes per API key (or address) per minute, before code checks answer 429.</summary>
public sealed class CodeGuessLimiter(IOptions<CampaignOptions> options) : GuessLimiter(options.Value.CodeGuessesPerMinute);
