using System.Numerics.Tensors;

namespace FeedbackHub.Classification.Training;

/// <summary>
/// Limited-memory BFGS with a backtracking (Armijo) line search: few passes over the data for a smooth,
/// convex objective such as L2-regularised logistic regression, and no randomness.
/// </summary>
internal static class Lbfgs
{
    /// <summary>Returns f(x) and writes its gradient.</summary>
    public delegate double Objective(float[] x, float[] gradient);

    /// <summary>Minimises <paramref name="objective"/> starting from (and overwriting) <paramref name="x"/>; returns the iterations used.</summary>
    public static int Minimize(Objective objective, float[] x, int history, int maxIterations, double tolerance, CancellationToken cancellationToken)
    {
        var original = x;
        var n = x.Length;
        var g = new float[n];
        var fx = objective(x, g);
        var s = new float[history][];
        var y = new float[history][];
        var rho = new double[history];
        var alpha = new double[history];
        var stored = 0;
        var newest = -1;
        var d = new float[n];
        var xNew = new float[n];
        var gNew = new float[n];

        var iteration = 0;
        while (iteration < maxIterations)
        {
            cancellationToken.ThrowIfCancellationRequested();
            iteration++;

            // Two-loop recursion: d = -H g.
            TensorPrimitives.Negate(g, d);
            for (var j = 0; j < stored; j++)
            {
                var i = Index(newest - j, history);
                alpha[i] = rho[i] * TensorPrimitives.Dot(s[i], d);
                TensorPrimitives.MultiplyAdd(y[i], (float)-alpha[i], d, d);
            }

            if (stored > 0)
            {
                var yy = TensorPrimitives.Dot(y[newest], y[newest]);
                TensorPrimitives.Multiply(d, (float)(1 / (rho[newest] * yy)), d);
            }
            else
            {
                // First step: unit length along the steepest descent.
                TensorPrimitives.Multiply(d, 1 / Math.Max(1e-12f, TensorPrimitives.Norm(g)), d);
            }

            for (var j = stored - 1; j >= 0; j--)
            {
                var i = Index(newest - j, history);
                var beta = rho[i] * TensorPrimitives.Dot(y[i], d);
                TensorPrimitives.MultiplyAdd(s[i], (float)(alpha[i] - beta), d, d);
            }

            double slope = TensorPrimitives.Dot(g, d);
            if (slope >= 0)
            {
                // Not a descent direction (numerical trouble): forget the curvature and restart.
                stored = 0;
                TensorPrimitives.Multiply(g, -1 / Math.Max(1e-12f, TensorPrimitives.Norm(g)), d);
                slope = TensorPrimitives.Dot(g, d);
            }

            var step = 1.0;
            var fNew = double.NaN;
            var accepted = false;
            for (var trial = 0; trial < 40; trial++)
            {
                TensorPrimitives.MultiplyAdd(d, (float)step, x, xNew);
                fNew = objective(xNew, gNew);
                if (fNew <= fx + (1e-4 * step * slope))
                {
                    accepted = true;
                    break;
                }

                // Minimum of the quadratic through f(0), f'(0) and f(step), kept within [0.1, 0.5] of the step.
                var quadratic = -slope * step * step / (2 * (fNew - fx - (slope * step)));
                step = double.IsFinite(quadratic) ? Math.Clamp(quadratic, 0.1 * step, 0.5 * step) : 0.5 * step;
            }

            if (!accepted)
            {
                break;
            }

            newest = Index(newest + 1, history);
            s[newest] ??= new float[n];
            y[newest] ??= new float[n];
            TensorPrimitives.Subtract(xNew, x, s[newest]);
            TensorPrimitives.Subtract(gNew, g, y[newest]);
            var sy = TensorPrimitives.Dot(s[newest], y[newest]);
            if (sy > 1e-10)
            {
                rho[newest] = 1 / sy;
                stored = Math.Min(stored + 1, history);
            }
            else
            {
                newest = Index(newest - 1, history);
            }

            var improvement = (fx - fNew) / Math.Max(1, Math.Max(Math.Abs(fx), Math.Abs(fNew)));
            (x, xNew) = (xNew, x);
            (g, gNew) = (gNew, g);
            fx = fNew;
            if (improvement < tolerance)
            {
                break;
            }
        }

        // The loop swaps buffers: make sure the caller's array holds the answer.
        if (!ReferenceEquals(x, original))
        {
            x.CopyTo(original, 0);
        }

        return iteration;
    }

    private static int Index(int i, int history) => ((i % history) + history) % history;
}
