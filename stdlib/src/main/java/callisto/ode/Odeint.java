package callisto.ode;

import callisto.runtime.Cancellation;
import callisto.tensor.Autograd;
import callisto.tensor.CustomFunction;
import callisto.tensor.DType;
import callisto.tensor.GradMode;
import callisto.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Initial value problems {@code y' = f(t, y)} on tensor states, returning the states at requested times
 * stacked as [T, ...y0's shape] (as torchdiffeq's {@code odeint(f, y0, ts)}).
 *
 * <p>{@link #rk4} takes fixed steps; {@link #dopri5} adapts them (Dormand–Prince 5(4), PI step control, Hairer's
 * first-step heuristic) and reports requested times between steps by the method's continuous extension. Steps
 * are tensor operations, so autograd differentiates through the solve (step sizes count as constants);
 * {@link #odeintAdjoint} instead gets the gradient by solving the adjoint equation backwards, in memory that
 * does not grow with the number of steps. The times may decrease (integration backwards). Solver loops check
 * {@link Cancellation} each step.
 */
public final class Odeint {
    private Odeint() {
    }

    // Dormand–Prince 5(4): nodes, stages, the fifth-order weights (= the last stage row, so f at the end is the next k1)
    private static final double[] C = {0, 1.0 / 5, 3.0 / 10, 4.0 / 5, 8.0 / 9, 1, 1};
    private static final double[][] A = {
        {},
        {1.0 / 5},
        {3.0 / 40, 9.0 / 40},
        {44.0 / 45, -56.0 / 15, 32.0 / 9},
        {19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729},
        {9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656},
        {35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84},
    };
    /** Fifth- minus fourth-order weights: the local error estimate. */
    private static final double[] E = {71.0 / 57600, 0, -71.0 / 16695, 71.0 / 1920, -17253.0 / 339200, 22.0 / 525, -1.0 / 40};
    /** Hairer's dense-output coefficients (the fifth interpolation term). */
    private static final double[] D = {-12715105075.0 / 11282082432.0, 0, 87487479700.0 / 32700410799.0, -10690763975.0 / 1880347072.0,
        701980252875.0 / 199316789632.0, -1453857185.0 / 822651844.0, 69997945.0 / 29380423.0};
    private static final double SAFETY = 0.9, MIN_FACTOR = 0.2, MAX_FACTOR = 10;

    /**
     * Classical fourth-order Runge–Kutta: each interval between consecutive {@code ts} is split into
     * {@code ceil(|Δt| / step)} equal steps, so every requested time is hit exactly.
     */
    public static Tensor rk4(OdeFunction f, Tensor y0, double[] ts, double step) {
        check("rk4", y0, ts);
        if (!(step > 0) || Double.isInfinite(step)) throw new IllegalArgumentException("rk4: step is " + step + "; expected a finite number > 0");
        var out = new ArrayList<Tensor>();
        out.add(y0);
        Tensor y = y0;
        for (int i = 1; i < ts.length; i++) {
            double span = ts[i] - ts[i - 1];
            int n = Math.max(1, (int) Math.ceil(Math.abs(span) / step - 1e-9));
            double h = span / n;
            for (int s = 0; s < n; s++) {
                Cancellation.check();
                double t = ts[i - 1] + s * h;
                Tensor k1 = eval("rk4", f, t, y);
                Tensor k2 = eval("rk4", f, t + h / 2, y.add(k1.mul(h / 2)));
                Tensor k3 = eval("rk4", f, t + h / 2, y.add(k2.mul(h / 2)));
                Tensor k4 = eval("rk4", f, t + h, y.add(k3.mul(h)));
                y = y.add(k1.add(k2.mul(2)).add(k3.mul(2)).add(k4).mul(h / 6));
            }
            out.add(y);
        }
        return Tensor.stack(out, 0);
    }

    /** {@link #dopri5}'s states at {@code ts}, with the given tolerances and other settings at their defaults. */
    public static Tensor odeint(OdeFunction f, Tensor y0, double[] ts, double rtol, double atol) {
        return dopri5(f, y0, ts, Dopri5Options.tolerances(rtol, atol)).ys();
    }

    /** Adaptive Dormand–Prince 5(4) from {@code ts[0]}, reporting at each of {@code ts} (monotone). */
    public static OdeSolution dopri5(OdeFunction f, Tensor y0, double[] ts, Dopri5Options options) {
        check("dopri5", y0, ts);
        double t0 = ts[0], tEnd = ts[ts.length - 1], dir = Math.signum(tEnd - t0);
        var out = new ArrayList<Tensor>();
        out.add(y0);
        int next = 1, accepted = 0, rejected = 0, evaluations = 0;
        while (next < ts.length && ts[next] == t0) { // repeated start times
            out.add(y0);
            next++;
        }
        if (next == ts.length) return new OdeSolution(Tensor.stack(out, 0), 0, 0, 0);
        Tensor y = y0, k1 = eval("dopri5", f, t0, y0);
        evaluations++;
        double t = t0, h;
        if (options.firstStep() > 0) {
            h = Math.min(options.firstStep(), options.maxStep());
        } else {
            h = initialStep(f, t0, y0, k1, dir, options);
            evaluations++;
        }
        double previousError = 1e-4;
        boolean lastRejected = false;
        Tensor[] k = new Tensor[7];
        while (next < ts.length) {
            Cancellation.check();
            if (accepted + rejected >= options.maxSteps()) {
                throw new IllegalStateException("dopri5: " + options.maxSteps() + " steps taken, reached t = " + t + " of " + tEnd
                        + " (step " + h + "); raise maxSteps, loosen rtol/atol, or the problem may be stiff");
            }
            h = Math.min(h, Math.abs(tEnd - t));
            double hs = dir * h;
            if (t + hs == t) throw new IllegalStateException("dopri5: the step size " + h + " underflowed at t = " + t + "; the solution may blow up there");
            k[0] = k1;
            for (int s = 1; s < 7; s++) {
                k[s] = eval("dopri5", f, t + C[s] * hs, combine(y, hs, A[s], k, s));
            }
            evaluations += 6;
            Tensor y1 = combine(y, hs, A[6], k, 6);
            Tensor err = combine(null, hs, E, k, 7);
            double error = errorNorm(err, y, y1, options);
            if (error <= 1 && Double.isFinite(error)) {
                accepted++;
                double tNew = Math.abs(tEnd - (t + hs)) <= 1e-14 * Math.max(1, Math.abs(tEnd)) ? tEnd : t + hs;
                Tensor[] dense = null;
                while (next < ts.length && dir * (ts[next] - tNew) <= 0) {
                    if (ts[next] == tNew) {
                        out.add(y1);
                    } else {
                        if (dense == null) dense = denseCoefficients(y, y1, k, hs);
                        out.add(interpolate(dense, (ts[next] - t) / hs));
                    }
                    next++;
                }
                double factor = Math.pow(Math.max(error, 1e-10), 0.2 - 0.75 * options.beta()) / Math.pow(previousError, options.beta()) / SAFETY;
                factor = Math.max(1 / MAX_FACTOR, Math.min(1 / MIN_FACTOR, factor));
                double hNew = h / factor;
                if (lastRejected) hNew = Math.min(hNew, h);
                previousError = Math.max(error, 1e-4);
                lastRejected = false;
                t = tNew;
                y = y1;
                k1 = k[6];
                h = Math.min(hNew, options.maxStep());
            } else {
                rejected++;
                lastRejected = true;
                double shrink = Double.isFinite(error) ? Math.min(1 / MIN_FACTOR, Math.pow(error, 0.2 - 0.75 * options.beta()) / SAFETY) : 1 / MIN_FACTOR;
                h = h / shrink;
            }
        }
        return new OdeSolution(Tensor.stack(out, 0), accepted, rejected, evaluations);
    }

    /** {@code base + h Σ a_i k_i} over the first n stages (or {@code h Σ a_i k_i} without a base). */
    private static Tensor combine(Tensor base, double h, double[] a, Tensor[] k, int n) {
        Tensor sum = null;
        for (int i = 0; i < Math.min(n, a.length); i++) {
            if (a[i] == 0) continue;
            Tensor term = k[i].mul(h * a[i]);
            sum = sum == null ? term : sum.add(term);
        }
        return base == null ? sum : base.add(sum);
    }

    /** The continuous extension's terms: y(t + θh) = r0 + θ(r1 + (1-θ)(r2 + θ(r3 + (1-θ) r4))). */
    private static Tensor[] denseCoefficients(Tensor y0, Tensor y1, Tensor[] k, double h) {
        Tensor dy = y1.sub(y0);
        Tensor bspl = k[0].mul(h).sub(dy);
        return new Tensor[] {y0, dy, bspl, dy.sub(k[6].mul(h)).sub(bspl), combine(null, h, D, k, 7)};
    }

    private static Tensor interpolate(Tensor[] r, double theta) {
        double theta1 = 1 - theta;
        return r[0].add(r[1].add(r[2].add(r[3].add(r[4].mul(theta1)).mul(theta)).mul(theta1)).mul(theta));
    }

    private static double errorNorm(Tensor err, Tensor y0, Tensor y1, Dopri5Options o) {
        double[] e = err.detach().toArray(), a = y0.detach().toArray(), b = y1.detach().toArray();
        double s = 0;
        for (int i = 0; i < e.length; i++) {
            double scale = o.atol() + o.rtol() * Math.max(Math.abs(a[i]), Math.abs(b[i]));
            s += (e[i] / scale) * (e[i] / scale);
        }
        return Math.sqrt(s / Math.max(e.length, 1));
    }

    /** Hairer and Wanner's starting step (Solving ODEs I, II.4): from |y|, |f| and f's change over a trial step. */
    private static double initialStep(OdeFunction f, double t0, Tensor y0, Tensor f0, double dir, Dopri5Options o) {
        double[] y = y0.detach().toArray(), dy = f0.detach().toArray(), scale = new double[y.length];
        for (int i = 0; i < y.length; i++) scale[i] = o.atol() + o.rtol() * Math.abs(y[i]);
        double d0 = rms(y, scale), d1 = rms(dy, scale);
        double h0 = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : 0.01 * d0 / d1;
        h0 = Math.min(h0, o.maxStep());
        double[] f1;
        try (var off = GradMode.noGrad()) {
            f1 = eval("dopri5", f, t0 + dir * h0, y0.detach().add(f0.detach().mul(dir * h0))).toArray();
        }
        double[] diff = new double[y.length];
        for (int i = 0; i < y.length; i++) diff[i] = f1[i] - dy[i];
        double d2 = rms(diff, scale) / h0, big = Math.max(d1, d2);
        double h1 = big <= 1e-15 ? Math.max(1e-6, h0 * 1e-3) : Math.pow(0.01 / big, 0.2);
        return Math.min(Math.min(100 * h0, h1), o.maxStep());
    }

    private static double rms(double[] v, double[] scale) {
        double s = 0;
        for (int i = 0; i < v.length; i++) s += (v[i] / scale[i]) * (v[i] / scale[i]);
        return Math.sqrt(s / Math.max(v.length, 1));
    }

    private static Tensor eval(String fn, OdeFunction f, double t, Tensor y) {
        Tensor dy = f.apply(t, y);
        if (dy == null || !Arrays.equals(dy.shape(), y.shape())) {
            throw new IllegalArgumentException(fn + ": f(t, y) returned shape " + (dy == null ? "null" : Arrays.toString(dy.shape()))
                    + " at t = " + t + "; expected y's shape " + Arrays.toString(y.shape()));
        }
        return dy;
    }

    private static void check(String fn, Tensor y0, double[] ts) {
        if (y0.dtype() != DType.FLOAT32 && y0.dtype() != DType.FLOAT64) {
            throw new IllegalArgumentException(fn + ": y0 has dtype " + y0.dtype().pythonName() + "; expected float32 or float64");
        }
        checkTimes(fn, ts);
    }

    static void checkTimes(String fn, double[] ts) {
        if (ts.length < 1) throw new IllegalArgumentException(fn + ": ts is empty; expected at least the start time");
        double dir = ts.length > 1 ? Math.signum(ts[ts.length - 1] - ts[0]) : 0;
        for (int i = 0; i < ts.length; i++) {
            if (!Double.isFinite(ts[i]) || (i > 0 && (ts[i] - ts[i - 1]) * dir < 0)) {
                throw new IllegalArgumentException(fn + ": ts = " + Arrays.toString(ts) + " is not monotone and finite at index " + i);
            }
        }
    }

    /**
     * ETDRK4 (Cox–Matthews, with Kassam–Trefethen's contour-integral coefficients) for the semilinear system
     * {@code u' = L u + N(t, u)} with L diagonal: {@code lambda} holds one real eigenvalue per element of u (same
     * shape). Fixed steps, each interval of {@code ts} split into {@code ceil(|Δt| / step)} equal ones; the stiff
     * linear part is integrated exactly, so the step is limited by N alone. Fourth order where the stiff
     * components are small (high modes of smooth fields); as Hochbruck and Ostermann (2005) show for this scheme,
     * a stiff component driven by a large time-varying forcing converges at a reduced order (2 at worst).
     * Differentiable in u0 and whatever N reads (L's coefficients count as constants).
     */
    public static Tensor etdrk4(Tensor lambda, OdeFunction nonlinear, Tensor u0, double[] ts, double step) {
        return Etdrk4.solve("etdrk4", lambda, nonlinear, u0, ts, step, false);
    }

    /**
     * {@link #etdrk4} for complex states and eigenvalues stored as real pairs: u0 and lambda are [..., 2] (real,
     * imaginary), and N maps such pairs to such pairs (Fourier-space PDEs: L = -k² or iω(k)).
     */
    public static Tensor etdrk4Complex(Tensor lambda, OdeFunction nonlinear, Tensor u0, double[] ts, double step) {
        return Etdrk4.solve("etdrk4Complex", lambda, nonlinear, u0, ts, step, true);
    }

    /**
     * {@link #dopri5}'s states at {@code ts}, whose gradient with respect to {@code y0} and {@code params} (the
     * tensors f reads that should get gradients) comes from the continuous adjoint: the augmented system
     * {@code y' = f, a' = -aᵀ ∂f/∂y, a_p' = -aᵀ ∂f/∂p} is solved backwards from each requested time to the
     * previous one with the same options, adding the output gradient at each time. Memory does not grow with the
     * number of steps; the gradient matches backpropagation through the solver to about the tolerances. First
     * order only (the gradient is not itself recorded).
     */
    public static Tensor odeintAdjoint(OdeFunction f, Tensor y0, double[] ts, List<Tensor> params, Dopri5Options options) {
        check("odeintAdjoint", y0, ts);
        for (int i = 0; i < params.size(); i++) {
            if (!params.get(i).dtype().isFloatingPoint()) {
                throw new IllegalArgumentException("odeintAdjoint: params[" + i + "] has dtype " + params.get(i).dtype().pythonName() + "; expected a float tensor");
            }
        }
        boolean needsGrad = GradMode.enabled() && (y0.requiresGrad() || params.stream().anyMatch(Tensor::requiresGrad));
        if (!needsGrad) {
            try (var off = GradMode.noGrad()) {
                return dopri5(f, y0, ts, options).ys();
            }
        }
        var inputs = new ArrayList<Tensor>();
        inputs.add(y0);
        inputs.addAll(params);
        return Tensor.apply(new Adjoint(f, ts.clone(), params.size(), options), inputs.toArray(Tensor[]::new));
    }

    private record Adjoint(OdeFunction f, double[] ts, int paramCount, Dopri5Options options) implements CustomFunction {
        @Override
        public int[] shape(int[]... s) {
            int[] out = new int[s[0].length + 1];
            out[0] = ts.length;
            System.arraycopy(s[0], 0, out, 1, s[0].length);
            return out;
        }

        @Override
        public Tensor forward(Tensor... in) {
            return dopri5(f, in[0], ts, options).ys();
        }

        @Override
        public Tensor[] backward(Tensor[] in, Tensor ys, Tensor g) {
            Tensor[] result = new Tensor[in.length];
            // a first-order backward runs without recording; the adjoint needs vector-Jacobian products of f
            try (var on = GradMode.enableGrad()) {
                solveBackwards(in, ys.detach(), g.detach(), result);
            }
            return result;
        }

        /** Integrates [y, a, a_p] (flattened into one vector) from ts[T-1] back to ts[0]. */
        private void solveBackwards(Tensor[] in, Tensor ys, Tensor g, Tensor[] result) {
            int[] yShape = in[0].shape();
            int n = in[0].numel();
            int[] sizes = new int[paramCount + 2];
            sizes[0] = n;
            sizes[1] = n;
            for (int j = 0; j < paramCount; j++) sizes[j + 2] = in[j + 1].numel();
            List<Tensor> params = Arrays.asList(in).subList(1, in.length);
            OdeFunction augmented = (t, z) -> {
                List<Tensor> parts = split(z, sizes);
                Tensor y = parts.get(0).reshape(yShape).detach().requiresGrad(true), a = parts.get(1).reshape(yShape);
                Tensor fy = eval("odeintAdjoint", f, t, y);
                var wrt = new ArrayList<Tensor>();
                wrt.add(y);
                wrt.addAll(params);
                List<Tensor> vjp = fy.requiresGrad()
                        ? Autograd.grad(List.of(fy), wrt, List.of(a), false, false, true) : Arrays.asList(new Tensor[wrt.size()]);
                var pieces = new ArrayList<Tensor>();
                pieces.add(fy.detach().reshape(n));
                for (int j = 0; j < wrt.size(); j++) {
                    Tensor v = vjp.get(j);
                    pieces.add(v == null ? Tensor.zeros(fy.dtype(), sizes[j + 1]) : v.detach().reshape(sizes[j + 1]).neg().to(fy.dtype()));
                }
                return Tensor.cat(pieces, 0);
            };
            int last = ts.length - 1;
            Tensor a = g.select(0, last).reshape(n);
            Tensor[] ap = new Tensor[paramCount];
            for (int j = 0; j < paramCount; j++) ap[j] = Tensor.zeros(in[0].dtype(), sizes[j + 2]);
            for (int i = last; i > 0; i--) {
                if (ts[i] != ts[i - 1]) {
                    var state = new ArrayList<Tensor>();
                    state.add(ys.select(0, i).reshape(n));
                    state.add(a);
                    state.addAll(Arrays.asList(ap));
                    Tensor z = dopri5(augmented, Tensor.cat(state, 0), new double[] {ts[i], ts[i - 1]}, options).ys().select(0, 1);
                    List<Tensor> parts = split(z, sizes);
                    a = parts.get(1);
                    for (int j = 0; j < paramCount; j++) ap[j] = parts.get(j + 2);
                }
                a = a.add(g.select(0, i - 1).reshape(n));
            }
            result[0] = a.reshape(yShape).contiguous();
            for (int j = 0; j < paramCount; j++) result[j + 1] = ap[j].reshape(in[j + 1].shape()).to(in[j + 1].dtype()).contiguous();
        }

        private static List<Tensor> split(Tensor z, int[] sizes) {
            var parts = new ArrayList<Tensor>();
            int offset = 0;
            for (int s : sizes) {
                parts.add(z.narrow(0, offset, s));
                offset += s;
            }
            return parts;
        }
    }
}
