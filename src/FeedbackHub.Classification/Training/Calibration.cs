namespace FeedbackHub.Classification.Training;

/// <summary>Temperature scaling: one divisor for all logits that minimises the log-loss of held-out predictions.</summary>
internal static class Calibration
{
    private const double MinLogTemperature = -3; // e^-3 ≈ 0.05
    private const double MaxLogTemperature = 3;  // e^3 ≈ 20

    public static float FitTemperature(float[] logits, int[] y, int k)
    {
        // Golden-section search on log T: the log-loss is unimodal in T.
        var ratio = (Math.Sqrt(5) - 1) / 2;
        var low = MinLogTemperature;
        var high = MaxLogTemperature;
        var a = high - (ratio * (high - low));
        var b = low + (ratio * (high - low));
        var fa = LogLoss(logits, y, k, Math.Exp(a));
        var fb = LogLoss(logits, y, k, Math.Exp(b));
        for (var i = 0; i < 60; i++)
        {
            if (fa < fb)
            {
                high = b;
                b = a;
                fb = fa;
                a = high - (ratio * (high - low));
                fa = LogLoss(logits, y, k, Math.Exp(a));
            }
            else
            {
                low = a;
                a = b;
                fa = fb;
                b = low + (ratio * (high - low));
                fb = LogLoss(logits, y, k, Math.Exp(b));
            }
        }

        return (float)Math.Exp((low + high) / 2);
    }

    public static double LogLoss(float[] logits, int[] y, int k, double temperature)
    {
        var total = 0.0;
        for (var row = 0; row < y.Length; row++)
        {
            var z = logits.AsSpan(row * k, k);
            var max = double.NegativeInfinity;
            foreach (var v in z)
            {
                max = Math.Max(max, v / temperature);
            }

            var sum = 0.0;
            foreach (var v in z)
            {
                sum += Math.Exp((v / temperature) - max);
            }

            total += max + Math.Log(sum) - (z[y[row]] / temperature);
        }

        return total / Math.Max(1, y.Length);
    }
}
