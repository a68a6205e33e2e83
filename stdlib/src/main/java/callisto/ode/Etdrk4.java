package callisto.ode;

import callisto.runtime.Cancellation;
import callisto.tensor.DType;
import callisto.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cox and Matthews' fourth-order exponential time differencing Runge–Kutta scheme for {@code u' = L u + N(t, u)}
 * with diagonal L, with the φ-function coefficients evaluated as Kassam and Trefethen do: as means over points
 * on a circle around each {@code hλ} (Cauchy's integral formula), which avoids the cancellation the closed forms
 * suffer for small {@code |hλ|}.
 */
final class Etdrk4 {
    /** Points on the contour; Kassam–Trefethen's 32 on the upper half circle are 64 on the whole one. */
    private static final int POINTS = 64;

    private Etdrk4() {
    }

    /** The six coefficient sets E, E/2, Q, f1, f2, f3 as (re, im) arrays per eigenvalue. */
    private static double[][][] coefficients(double[] re, double[] im, double h) {
        int n = re.length;
        double[][][] c = new double[6][2][n];
        for (int i = 0; i < n; i++) {
            double zr = h * re[i], zi = h * im[i];
            cexp(zr, zi, c[0], i);
            cexp(zr / 2, zi / 2, c[1], i);
            double[] q = new double[2], f1 = new double[2], f2 = new double[2], f3 = new double[2];
            for (int j = 0; j < POINTS; j++) {
                double angle = Math.PI * (j + 0.5) / (POINTS / 2);
                double wr = zr + Math.cos(angle), wi = zi + Math.sin(angle);
                double er = Math.exp(wr) * Math.cos(wi), ei = Math.exp(wr) * Math.sin(wi);
                double hr = Math.exp(wr / 2) * Math.cos(wi / 2), hi = Math.exp(wr / 2) * Math.sin(wi / 2);
                // 1/w, 1/w³
                double m = wr * wr + wi * wi, ir = wr / m, ii = -wi / m;
                double i2r = ir * ir - ii * ii, i2i = 2 * ir * ii, i3r = i2r * ir - i2i * ii, i3i = i2r * ii + i2i * ir;
                double w2r = wr * wr - wi * wi, w2i = 2 * wr * wi;
                // Q: (e^{w/2} - 1) / w
                accumulate(q, hr - 1, hi, ir, ii);
                // f1: (-4 - w + e^w (4 - 3w + w²)) / w³
                double pr = 4 - 3 * wr + w2r, pi = -3 * wi + w2i;
                accumulate(f1, -4 - wr + er * pr - ei * pi, -wi + er * pi + ei * pr, i3r, i3i);
                // f2: (2 + w + e^w (w - 2)) / w³
                accumulate(f2, 2 + wr + er * (wr - 2) - ei * wi, wi + er * wi + ei * (wr - 2), i3r, i3i);
                // f3: (-4 - 3w - w² + e^w (4 - w)) / w³
                accumulate(f3, -4 - 3 * wr - w2r + er * (4 - wr) + ei * wi, -3 * wi - w2i - er * wi + ei * (4 - wr), i3r, i3i);
            }
            double[][] sums = {q, f1, f2, f3};
            for (int s = 0; s < 4; s++) {
                c[s + 2][0][i] = h * sums[s][0] / POINTS;
                c[s + 2][1][i] = h * sums[s][1] / POINTS;
            }
        }
        return c;
    }

    private static void cexp(double zr, double zi, double[][] out, int i) {
        double m = Math.exp(zr);
        out[0][i] = m * Math.cos(zi);
        out[1][i] = m * Math.sin(zi);
    }

    /** sum += (ar + i ai)(br + i bi). */
    private static void accumulate(double[] sum, double ar, double ai, double br, double bi) {
        sum[0] += ar * br - ai * bi;
        sum[1] += ar * bi + ai * br;
    }

    /** Multiplication by a constant diagonal: real, or complex on [..., 2] pairs. */
    private record Diagonal(Tensor re, Tensor im) {
        Tensor times(Tensor x) {
            if (im == null) return x.mul(re);
            int last = x.dim() - 1;
            Tensor xr = x.select(last, 0), xi = x.select(last, 1);
            return Tensor.stack(List.of(xr.mul(re).sub(xi.mul(im)), xi.mul(re).add(xr.mul(im))), last);
        }
    }

    static Tensor solve(String fn, Tensor lambda, OdeFunction nonlinear, Tensor u0, double[] ts, double step, boolean complex) {
        if (!(step > 0) || Double.isInfinite(step)) throw new IllegalArgumentException(fn + ": step is " + step + "; expected a finite number > 0");
        if (u0.dtype() != DType.FLOAT32 && u0.dtype() != DType.FLOAT64) {
            throw new IllegalArgumentException(fn + ": u0 has dtype " + u0.dtype().pythonName() + "; expected float32 or float64");
        }
        if (!Arrays.equals(lambda.shape(), u0.shape()) || (complex && (u0.dim() == 0 || u0.size(u0.dim() - 1) != 2))) {
            throw new IllegalArgumentException(fn + ": lambda has shape " + Arrays.toString(lambda.shape()) + " and u0 " + Arrays.toString(u0.shape())
                    + "; expected the same shape" + (complex ? ", ending in 2 (real and imaginary parts)" : "") + ", one eigenvalue per element");
        }
        Odeint.checkTimes(fn, ts);
        double[] values = lambda.detach().toArray();
        int n = complex ? values.length / 2 : values.length;
        double[] re = new double[n], im = new double[n];
        for (int i = 0; i < n; i++) {
            re[i] = complex ? values[2 * i] : values[i];
            im[i] = complex ? values[2 * i + 1] : 0;
        }
        int[] diagShape = complex ? Arrays.copyOf(u0.shape(), u0.dim() - 1) : u0.shape();
        var out = new ArrayList<Tensor>();
        out.add(u0);
        Tensor u = u0;
        double cachedH = Double.NaN;
        Diagonal[] c = null;
        for (int k = 1; k < ts.length; k++) {
            double span = ts[k] - ts[k - 1];
            int steps = Math.max(1, (int) Math.ceil(Math.abs(span) / step - 1e-9));
            double h = span / steps;
            if (span == 0) {
                out.add(u);
                continue;
            }
            if (h != cachedH) {
                double[][][] raw = coefficients(re, im, h);
                c = new Diagonal[6];
                for (int s = 0; s < 6; s++) {
                    Tensor r = Tensor.of(raw[s][0], diagShape).to(u0.dtype());
                    c[s] = new Diagonal(r, complex ? Tensor.of(raw[s][1], diagShape).to(u0.dtype()) : null);
                }
                cachedH = h;
            }
            for (int s = 0; s < steps; s++) {
                Cancellation.check();
                double t = ts[k - 1] + s * h;
                Tensor nu = eval(fn, nonlinear, t, u);
                Tensor eu = c[1].times(u);
                Tensor a = eu.add(c[2].times(nu));
                Tensor na = eval(fn, nonlinear, t + h / 2, a);
                Tensor b = eu.add(c[2].times(na));
                Tensor nb = eval(fn, nonlinear, t + h / 2, b);
                Tensor cc = c[1].times(a).add(c[2].times(nb.mul(2).sub(nu)));
                Tensor nc = eval(fn, nonlinear, t + h, cc);
                u = c[0].times(u).add(c[3].times(nu)).add(c[4].times(na.add(nb).mul(2))).add(c[5].times(nc));
            }
            out.add(u);
        }
        return Tensor.stack(out, 0);
    }

    private static Tensor eval(String fn, OdeFunction f, double t, Tensor u) {
        Tensor r = f.apply(t, u);
        if (r == null || !Arrays.equals(r.shape(), u.shape())) {
            throw new IllegalArgumentException(fn + ": N(t, u) returned shape " + (r == null ? "null" : Arrays.toString(r.shape()))
                    + " at t = " + t + "; expected u's shape " + Arrays.toString(u.shape()));
        }
        return r;
    }
}
