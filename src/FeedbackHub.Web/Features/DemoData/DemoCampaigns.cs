using FeedbackHub.Data.Campaigns;
using FeedbackHub.Data.Orders;
using FeedbackHub.Web.Features.Campaigns;

namespace FeedbackHub.Web.Features.DemoData;

/// <summary>
/// Two thank-you campaigns with an A/B test and a 10 % hold-out each, and what they did for one
/// customer's orders, decided by the real rules (<see cref="ThankYouRules"/>, <see cref="VariantAssignment"/>,
/// <see cref="ThankYouIssuer.CodeExpiry"/>): excluded, hold-out, or a code that is often used on the next
/// order. A code sometimes brings back a customer who would not have ordered in time: that is the
/// uplift the campaign figures compare with the hold-out.
/// </summary>
internal static class DemoCampaigns
{
    public const string Author = "demo";

    /// <summary>Share of codes used when the customer orders again before the code expires.</summary>
    private const double RedeemedOnNextOrder = 0.55;

    /// <summary>Share of treated customers without an order in the code's validity whom the code brings back.</summary>
    private const double BroughtBack = 0.25;

    public static IReadOnlyList<Campaign> Define(DateTimeOffset end)
    {
        var firstOrder = Campaign("Demo: thank you for your first order", "THX", QualifyingOrders.FirstOrder, end.AddMonths(-12));
        (firstOrder.DiscountKind, firstOrder.DiscountValue, firstOrder.HoldoutTreatment) = (DiscountKind.Percentage, 10, HoldoutTreatment.ThankYouWithoutCode);
        firstOrder.Variants.Add(new CampaignVariant { Name = "10 % off", Weight = 1 });
        firstOrder.Variants.Add(new CampaignVariant { Name = "15 % off", Weight = 1, DiscountKind = DiscountKind.Percentage, DiscountValue = 15 });

        var loyal = Campaign("Demo: every third order", "REPEAT", QualifyingOrders.EveryNthOrder, end.AddMonths(-6));
        (loyal.EveryNth, loyal.DiscountKind, loyal.DiscountValue, loyal.MinimumOrderValue) = (3, DiscountKind.Amount, 5, 25);
        (loyal.HoldoutTreatment, loyal.ExcludeDiscountShareAbove) = (HoldoutTreatment.NoEmail, 0.5m);
        loyal.Variants.Add(new CampaignVariant { Name = "€5 off", Weight = 1 });
        loyal.Variants.Add(new CampaignVariant { Name = "€7.50 off", Weight = 1, DiscountKind = DiscountKind.Amount, DiscountValue = 7.5m });
        return [firstOrder, loyal];
    }

    /// <summary>Runs each campaign over the customer's orders (in time order); orders a code brought are added to them.</summary>
    public static void Apply(DemoWorld world, DemoCustomer demo, Random random, int index)
    {
        foreach (var campaign in world.Campaigns)
        {
            var assigned = false;
            CampaignVariant? variant = null;
            DiscountCode? code = null;
            var orders = demo.Customer.Orders;
            var withDiscount = 0;
            for (var i = 0; i < orders.Count; withDiscount += orders[i].DiscountCode is null ? 0 : 1, i++)
            {
                var order = orders[i];
                var history = new OrderHistory(i + 1, withDiscount);
                if (!ThankYouRules.Runs(campaign, order.PlacedAt) || !ThankYouRules.Qualifies(campaign, history))
                {
                    continue;
                }

                var now = order.PlacedAt.AddMinutes(1);
                var decision = new ThankYou { CampaignId = campaign.Id, CreatedAt = now };
                DiscountCode? sent = null;
                if (ThankYouRules.Exclude(campaign, demo.Customer.FlaggedBySupport, history) is { } exclusion)
                {
                    (decision.Outcome, decision.Reason) = (ThankYouOutcome.Excluded, exclusion.Reason);
                }
                else
                {
                    if (!assigned)
                    {
                        variant = VariantAssignment.Choose(random.NextDouble(), campaign.HoldoutShare, campaign.Variants);
                        demo.Assignments.Add(new CampaignAssignment { CampaignId = campaign.Id, VariantId = variant?.Id, AssignedAt = now });
                        assigned = true;
                    }

                    decision.VariantId = variant?.Id;
                    if (variant is null)
                    {
                        decision.Outcome = campaign.HoldoutTreatment == HoldoutTreatment.NoEmail ? ThankYouOutcome.HoldoutNoEmail : ThankYouOutcome.HoldoutThankYou;
                    }
                    else if (code is not null && (code.RedeemedAt <= now || code.ExpiresAt <= now))
                    {
                        (decision.Outcome, decision.Reason, sent) = (ThankYouOutcome.CodeAlreadyIssued, "this campaign's code was already used or has expired", code);
                    }
                    else
                    {
                        if (code is null)
                        {
                            code = Issue(world, demo, campaign, variant, now, random, index);
                            Use(world, demo, code, i, random);
                        }

                        (decision.Outcome, sent) = (ThankYouOutcome.Code, code);
                    }
                }

                demo.ThankYous.Add(new DemoThankYou(decision, order, sent));
            }
        }
    }

    private static Campaign Campaign(string name, string prefix, QualifyingOrders qualifying, DateTimeOffset startsAt) => new()
    {
        Name = name, CodePrefix = prefix, Status = CampaignStatus.Active, Qualifying = qualifying, StartsAt = startsAt,
        HoldoutShare = 0.1m, ValidityDays = 30, SendDelayMinutes = 60, ExcludeFlaggedCustomers = true,
        CreatedAt = startsAt.AddDays(-2), UpdatedAt = startsAt.AddDays(-2), UpdatedBy = Author,
    };

    /// <summary>
    /// The customer's code: the campaign's prefix, the customer's index in four characters (so no two
    /// demo codes of a campaign can clash) and eight random ones, all from the code alphabet.
    /// </summary>
    private static DiscountCode Issue(DemoWorld world, DemoCustomer demo, Campaign campaign, CampaignVariant variant, DateTimeOffset now, Random random, int index)
    {
        var alphabet = DiscountCodeFormat.Alphabet;
        var text = new char[4 + 8];
        for (var (i, rest) = (3, index); i >= 0; i--, rest /= alphabet.Length)
        {
            text[i] = alphabet[rest % alphabet.Length];
        }

        for (var i = 4; i < text.Length; i++)
        {
            text[i] = alphabet[random.Next(alphabet.Length)];
        }

        var code = new DiscountCode
        {
            Code = campaign.CodePrefix + new string(text), CampaignId = campaign.Id, VariantId = variant.Id,
            DiscountKind = variant.DiscountKind ?? campaign.DiscountKind, DiscountValue = variant.DiscountValue ?? campaign.DiscountValue,
            MinimumOrderValue = campaign.MinimumOrderValue, Currency = campaign.Currency, IssuedAt = now,
            ExpiresAt = ThankYouIssuer.CodeExpiry(now, campaign.ValidityDays, world.Zone(demo.Customer.TimeZone)),
        };
        demo.Codes.Add(code);
        return code;
    }

    /// <summary>Uses the code on the next order when it comes in time, or now and then brings the customer back with it.</summary>
    private static void Use(DemoWorld world, DemoCustomer demo, DiscountCode code, int issuedOn, Random random)
    {
        var orders = demo.Customer.Orders;
        var next = issuedOn + 1 < orders.Count ? orders[issuedOn + 1] : null;
        if (next is not null && next.PlacedAt < code.ExpiresAt)
        {
            // One code per order: an order that already carries one (the shop's or another campaign's) keeps it.
            if (random.NextDouble() < RedeemedOnNextOrder && next.DiscountCode is null && !(next.Total < code.MinimumOrderValue))
            {
                Redeem(code, next);
            }

            return;
        }

        var at = code.IssuedAt.AddDays(2 + random.NextDouble() * 25);
        if (random.NextDouble() >= BroughtBack || at >= code.ExpiresAt || at > world.End)
        {
            return;
        }

        var brought = DemoWorld.NewOrder(demo.Customer, random, at, firstOrder: false, bargainHunter: false);
        brought.Total = Math.Max(brought.Total, code.MinimumOrderValue ?? 0);
        orders.Insert(issuedOn + 1, brought);
        Redeem(code, brought);
    }

    private static void Redeem(DiscountCode code, Order order)
    {
        order.DiscountCode = code.Code;
        order.Total = decimal.Round(code.DiscountKind == DiscountKind.Percentage
            ? order.Total * (1 - (code.DiscountValue / 100))
            : Math.Max(0, order.Total - code.DiscountValue), 2);
        (code.RedeemedAt, code.RedeemedOrderExternalId) = (order.PlacedAt, order.ExternalId);
    }
}
