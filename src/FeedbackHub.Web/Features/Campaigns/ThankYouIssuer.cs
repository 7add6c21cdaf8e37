using FeedbackHub.Data;
using FeedbackHub.Data.Campaigns;
using FeedbackHub.Data.Customers;
using FeedbackHub.Data.Email;
using FeedbackHub.Web.Features.Email;
using FeedbackHub.Web.Features.Email.Templates;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FeedbackHub.Web.Features.Campaigns;

/// <summary>A new order as the campaigns see it.</summary>
internal sealed record NewOrder(long Id, long CustomerId, DateTimeOffset PlacedAt);

/// <summary>
/// Runs the active campaigns over newly stored orders, inside the transaction that stores them:
/// decides per qualifying order (excluded, hold-out or variant), issues the customer's code and
/// queues the thank-you through the outbox, so the order, its code and its email are stored together
/// or not at all. Works in batches with a handful of queries each, so an import of 100,000 orders
/// thanks 100,000 customers in seconds, not hours.
/// </summary>
public sealed class ThankYouIssuer(
    AppDbContext db, Outbox outbox, EmailRenderer renderer, TimeProvider time,
    IOptions<CampaignOptions> campaignOptions, IOptions<EmailOptions> emailOptions)
{
    public const int BatchSize = 1_000;

    /// <summary>Handles orders just inserted (by the shop's id). The context must take part in the caller's transaction; this saves but does not commit.</summary>
    public async Task<ThankYouSummary> IssueAsync(IReadOnlyList<string> insertedOrderIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(insertedOrderIds);
        var summary = new ThankYouSummary();
        if (insertedOrderIds.Count == 0)
        {
            return summary;
        }

        var now = time.GetUtcNow();
        var campaigns = await db.Campaigns.AsNoTracking().Include(c => c.Variants)
            .Where(c => c.Status == CampaignStatus.Active).OrderBy(c => c.Id).ToListAsync(cancellationToken);
        if (campaigns.Count == 0)
        {
            return summary;
        }

        var oldest = now - campaignOptions.Value.MaxOrderAge;
        foreach (var batch in insertedOrderIds.Chunk(BatchSize))
        {
            var orders = await db.Orders.AsNoTracking()
                .Where(o => EF.Parameter(batch).Contains(o.ExternalId) && o.PlacedAt >= oldest)
                .OrderBy(o => o.PlacedAt).ThenBy(o => o.Id)
                .Select(o => new NewOrder(o.Id, o.CustomerId, o.PlacedAt))
                .ToListAsync(cancellationToken);
            orders.RemoveAll(o => !campaigns.Any(c => ThankYouRules.Runs(c, o.PlacedAt)));
            if (orders.Count > 0)
            {
                await IssueBatchAsync(campaigns, orders, now, summary, cancellationToken);
            }
        }

        return summary;
    }

    private async Task IssueBatchAsync(List<Campaign> campaigns, List<NewOrder> orders, DateTimeOffset now, ThankYouSummary summary, CancellationToken cancellationToken)
    {
        var customerIds = orders.Select(o => o.CustomerId).Distinct().ToList();
        var customers = await db.Customers.AsNoTracking().Where(c => customerIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, cancellationToken);
        var histories = await HistoriesAsync(orders, customerIds, cancellationToken);
        var emails = new List<CustomerEmail>();
        var newCodes = new List<DiscountCode>();
        var decisions = new List<(ThankYou Decision, DiscountCode? Code)>();
        foreach (var campaign in campaigns)
        {
            var qualifying = orders.Where(o => ThankYouRules.Runs(campaign, o.PlacedAt) && ThankYouRules.Qualifies(campaign, histories[o.Id])).ToList();
            if (qualifying.Count == 0)
            {
                continue;
            }

            var ids = qualifying.Select(o => o.CustomerId).Distinct().ToList();
            var assignments = await db.CampaignAssignments.AsNoTracking()
                .Where(a => a.CampaignId == campaign.Id && ids.Contains(a.CustomerId))
                .ToDictionaryAsync(a => a.CustomerId, a => a.VariantId, cancellationToken);
            var codes = await db.DiscountCodes.AsNoTracking()
                .Where(c => c.CampaignId == campaign.Id && ids.Contains(c.CustomerId))
                .ToDictionaryAsync(c => c.CustomerId, cancellationToken);
            foreach (var order in qualifying)
            {
                var customer = customers[order.CustomerId];
                var decision = new ThankYou { CampaignId = campaign.Id, OrderId = order.Id, CustomerId = customer.Id, CreatedAt = now };
                DiscountCode? code = null;
                if (ThankYouRules.Exclude(campaign, customer.FlaggedBySupport, histories[order.Id]) is { } exclusion)
                {
                    (decision.Outcome, decision.Reason) = (ThankYouOutcome.Excluded, exclusion.Reason);
                }
                else
                {
                    var variant = Assign(campaign, customer.Id, assignments, now);
                    decision.VariantId = variant?.Id;
                    var sendAt = order.PlacedAt.AddMinutes(campaign.SendDelayMinutes);
                    if (variant is null && campaign.HoldoutTreatment == HoldoutTreatment.NoEmail)
                    {
                        decision.Outcome = ThankYouOutcome.HoldoutNoEmail;
                    }
                    else if (variant is null)
                    {
                        decision.Outcome = ThankYouOutcome.HoldoutThankYou;
                        emails.Add(Email(campaign, order, customer, EmailTemplates.ThankYouWithoutCode, null, null, sendAt));
                    }
                    else if (codes.TryGetValue(customer.Id, out var issued) && (issued.RedeemedAt is not null || issued.ExpiresAt <= now))
                    {
                        // One code per customer per campaign: a used or expired one is not replaced.
                        (decision.Outcome, decision.Reason, decision.DiscountCodeId) = (ThankYouOutcome.CodeAlreadyIssued, "this campaign's code was already used or has expired", issued.Id);
                    }
                    else
                    {
                        if (issued is null)
                        {
                            issued = NewCode(campaign, variant, customer.Id, ZoneOf(customer), now);
                            codes[customer.Id] = issued;
                            newCodes.Add(issued);
                        }

                        decision.Outcome = ThankYouOutcome.Code;
                        code = issued;
                        emails.Add(Email(campaign, order, customer, EmailTemplates.ThankYou, variant, issued, sendAt));
                    }
                }

                decisions.Add((decision, code));
                summary.Count(decision.Outcome);
            }
        }

        await MakeCodesUniqueAsync(newCodes, cancellationToken);
        db.DiscountCodes.AddRange(newCodes);
        await db.SaveChangesAsync(cancellationToken);
        foreach (var (decision, code) in decisions)
        {
            decision.DiscountCodeId ??= code?.Id;
        }

        db.ThankYous.AddRange(decisions.Select(d => d.Decision));
        await outbox.QueueToCustomersAsync(emails, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        // The caller's context lives on (e.g. an import job's row): let go of what this batch added.
        foreach (var entry in db.ChangeTracker.Entries().Where(e => e.Entity is DiscountCode or ThankYou or OutboxEmail or CampaignAssignment).ToList())
        {
            entry.State = EntityState.Detached;
        }
    }

    /// <summary>The place of each new order in its customer's history, and how often a discount was used before it.</summary>
    private async Task<Dictionary<long, OrderHistory>> HistoriesAsync(List<NewOrder> orders, List<long> customerIds, CancellationToken cancellationToken)
    {
        var all = await db.Orders.AsNoTracking()
            .Where(o => customerIds.Contains(o.CustomerId))
            .Select(o => new { o.Id, o.CustomerId, o.PlacedAt, HasDiscount = o.DiscountCode != null })
            .ToListAsync(cancellationToken);
        var wanted = orders.Select(o => o.Id).ToHashSet();
        var histories = new Dictionary<long, OrderHistory>(orders.Count);
        foreach (var customer in all.GroupBy(o => o.CustomerId))
        {
            var (ordinal, withDiscount) = (0, 0);
            foreach (var order in customer.OrderBy(o => o.PlacedAt).ThenBy(o => o.Id))
            {
                ordinal++;
                if (wanted.Contains(order.Id))
                {
                    histories[order.Id] = new OrderHistory(ordinal, withDiscount);
                }

                withDiscount += order.HasDiscount ? 1 : 0;
            }
        }

        return histories;
    }

    /// <summary>The customer's stored group, or a fresh random one that is stored with this batch.</summary>
    private CampaignVariant? Assign(Campaign campaign, long customerId, Dictionary<long, long?> assignments, DateTimeOffset now)
    {
        if (!assignments.TryGetValue(customerId, out var variantId))
        {
            variantId = VariantAssignment.Choose(VariantAssignment.Draw(), campaign.HoldoutShare, campaign.Variants)?.Id;
            assignments[customerId] = variantId;
            db.CampaignAssignments.Add(new CampaignAssignment { CampaignId = campaign.Id, CustomerId = customerId, VariantId = variantId, AssignedAt = now });
        }

        return variantId is null ? null : campaign.Variants.FirstOrDefault(v => v.Id == variantId);
    }

    private static DiscountCode NewCode(Campaign campaign, CampaignVariant variant, long customerId, TimeZoneInfo zone, DateTimeOffset now) => new()
    {
        Code = DiscountCodeFormat.Generate(campaign.CodePrefix),
        CampaignId = campaign.Id,
        VariantId = variant.Id,
        CustomerId = customerId,
        DiscountKind = variant.DiscountKind ?? campaign.DiscountKind,
        DiscountValue = variant.DiscountValue ?? campaign.DiscountValue,
        MinimumOrderValue = campaign.MinimumOrderValue,
        Currency = campaign.Currency,
        IssuedAt = now,
        ExpiresAt = CodeExpiry(now, campaign.ValidityDays, zone),
    };

    /// <summary>
    /// A code with this campaign's terms for one customer outside the order flow (a win-back offer):
    /// the code issued before if it is still usable, else a new one added to the context (the caller
    /// saves); null when the customer's code from this campaign was used or has expired. The campaign
    /// must come with its variants; a new code takes a variant by weight (the offer has its own hold-out).
    /// </summary>
    public async Task<DiscountCode?> CodeForAsync(Campaign campaign, Customer customer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        ArgumentNullException.ThrowIfNull(customer);
        var now = time.GetUtcNow();
        var issued = await db.DiscountCodes.FirstOrDefaultAsync(c => c.CampaignId == campaign.Id && c.CustomerId == customer.Id, cancellationToken);
        if (issued is not null)
        {
            return issued.RedeemedAt is null && issued.ExpiresAt > now ? issued : null;
        }

        var variant = VariantAssignment.Choose(VariantAssignment.Draw(), 0, campaign.Variants)
            ?? throw new InvalidOperationException($"Campaign {campaign.Id} has no variants loaded.");
        var code = NewCode(campaign, variant, customer.Id, ZoneOf(customer), now);
        await MakeCodesUniqueAsync([code], cancellationToken);
        return code;
    }

    /// <summary>The end of the last valid day in the customer's time zone, so "valid until 31 December" holds all that day.</summary>
    public static DateTimeOffset CodeExpiry(DateTimeOffset issuedAt, int validityDays, TimeZoneInfo zone)
    {
        var lastDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(issuedAt, zone).Date).AddDays(validityDays);
        return ThankYouRules.StartOfDay(lastDay.AddDays(1), zone);
    }

    /// <summary>60 random bits make a clash practically impossible, but a stored code is never issued twice: clashing ones are drawn again.</summary>
    private async Task MakeCodesUniqueAsync(List<DiscountCode> codes, CancellationToken cancellationToken)
    {
        var prefixes = codes.ToDictionary(c => c, c => c.Code[..^DiscountCodeFormat.RandomLength]);
        while (codes.Count > 0)
        {
            var wanted = codes.Select(c => c.Code).ToList();
            var taken = (await db.DiscountCodes.Where(c => wanted.Contains(c.Code)).Select(c => c.Code).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var clashing = codes.Where(c => taken.Contains(c.Code) || !seen.Add(c.Code)).ToList();
            if (clashing.Count == 0)
            {
                return;
            }

            foreach (var code in clashing)
            {
                code.Code = DiscountCodeFormat.Generate(prefixes[code]);
            }
        }
    }

    private CustomerEmail Email(
        Campaign campaign, NewOrder order, Customer customer, EmailTemplate template, CampaignVariant? variant, DiscountCode? code, DateTimeOffset sendAt)
    {
        var language = renderer.LanguageFor(customer.Locale);
        return new CustomerEmail(customer, $"thank-you:{campaign.Id}:{order.Id}", template, Values(campaign, customer, language, code), sendAt)
        {
            TextOverrides = IntroOverride(variant, language),
        };
    }

    /// <summary>The placeholders of a thank-you for this customer, in their language; <paramref name="code"/> is null for the hold-out's email.</summary>
    internal Dictionary<string, string> Values(Campaign campaign, Customer customer, string language, DiscountCode? code)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["first_name"] = CustomerGreeting.FirstName(customer, language),
            ["shop"] = emailOptions.Value.FromName,
        };
        if (campaignOptions.Value.ShopUrl is { } shop)
        {
            values[EmailTemplate.ActionUrl] = shop.AbsoluteUri;
        }

        if (code is not null)
        {
            values["discount"] = ThankYouRules.FormatDiscount(code.DiscountKind, code.DiscountValue, code.Currency, language);
            values["code"] = DiscountCodeFormat.Display(code.Code, campaign.CodePrefix);
            values["expires"] = ThankYouRules.FormatLastDay(code.ExpiresAt, ZoneOf(customer), language);
            values["minimum_order"] = ThankYouRules.FormatMoney(code.MinimumOrderValue ?? 0, code.Currency, language);
        }

        return values;
    }

    /// <summary>A variant's own intro in this language, replacing the template's for its emails.</summary>
    internal static Dictionary<string, string>? IntroOverride(CampaignVariant? variant, string language)
    {
        var intro = language == CustomerLocales.Dutch ? variant?.IntroDutch : variant?.IntroEnglish;
        return string.IsNullOrWhiteSpace(intro) ? null : new Dictionary<string, string> { ["intro"] = intro };
    }

    /// <summary>A code as it would be issued now to this customer by this variant (not stored).</summary>
    internal DiscountCode SampleCode(Campaign campaign, CampaignVariant variant, Customer customer, DateTimeOffset now) =>
        NewCode(campaign, variant, customer.Id, ZoneOf(customer), now);

    /// <summary>The customer's zone, as quiet hours read it: their own, else the installation's default.</summary>
    private TimeZoneInfo ZoneOf(Customer customer) => QuietHours.ZoneOrDefault(customer.TimeZone, emailOptions.Value.DefaultTimeZone);
}

/// <summary>What the campaigns decided for a set of orders, by outcome.</summary>
public sealed class ThankYouSummary
{
    private readonly Dictionary<ThankYouOutcome, int> _counts = [];

    public int this[ThankYouOutcome outcome] => _counts.GetValueOrDefault(outcome);

    public int Total => _counts.Values.Sum();

    internal void Count(ThankYouOutcome outcome) => _counts[outcome] = this[outcome] + 1;
}
