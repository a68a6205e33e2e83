package callisto.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callisto.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Each optimizer's first steps on a fixed separable quadratic, against its update equations written here again in
 * plain double arithmetic, PyTorch's way (torch.optim's single-tensor code paths) or the paper's.
 */
class OptimizersUpdateTest {
    static final double[] A = {1.0, 3.0, 0.5, 10.0, 2.0};
    static final double[] C = {0.2, -0.4, 1.0, 0.05, -1.5};
    static final double[] W0 = {0.5, -1.0, 2.0, 0.3, -0.7};
    static final int STEPS = 8;

    /** The gradient of 0.5·Σ a_i (w_i − c_i)². */
    static double[] grad(double[] w) {
        double[] g = new double[w.length];
        for (int i = 0; i < w.length; i++) g[i] = A[i] * (w[i] - C[i]);
        return g;
    }

    static Tensor loss(Tensor w) {
        Tensor d = w.sub(Tensor.of(C));
        return Tensor.of(A).mul(d).mul(d).sum().mul(0.5);
    }

    /** One reference step: updates w in place, may call the gradient function (SAM does, twice). */
    interface Ref {
        void step(double[] w, UnaryOperator<double[]> gradient);
    }

    record Case(String name, Function<Map<String, Tensor>, Optimizer> make, Supplier<Ref> ref) {}

    static double norm(double[] x) {
        double s = 0;
        for (double v : x) s += v * v;
        return Math.sqrt(s);
    }

    static List<Case> cases() {
        List<Case> cs = new ArrayList<>();
        cs.add(new Case("sgd", p -> Optimizers.sgd(p, 0.05), () -> (w, gf) -> {
            double[] g = gf.apply(w);
            for (int i = 0; i < w.length; i++) w[i] -= 0.05 * g[i];
        }));
        cs.add(new Case("sgd momentum dampening wd", p -> Optimizers.sgd(p, 0.05, 0.9, 0.1, false, 0.01), () -> new Ref() {
            double[] buf;

            public void step(double[] w, UnaryOperator<double[]> gf) {
                double[] g = gf.apply(w);
                for (int i = 0; i < w.length; i++) g[i] += 0.01 * w[i];
                if (buf == null) buf = g.clone();
                else for (int i = 0; i < w.length; i++) buf[i] = 0.9 * buf[i] + 0.9 * g[i];
                for (int i = 0; i < w.length; i++) w[i] -= 0.05 * buf[i];
            }
        }));
        cs.add(new Case("sgd nesterov", p -> Optimizers.sgd(p, 0.05, 0.9, 0, true, 0), () -> new Ref() {
            double[] buf;

            public void step(double[] w, UnaryOperator<double[]> gf) {
                double[] g = gf.apply(w);
                if (buf == null) buf = g.clone();
                else for (int i = 0; i < w.length; i++) buf[i] = 0.9 * buf[i] + g[i];
                for (int i = 0; i < w.length; i++) w[i] -= 0.05 * (g[i] + 0.9 * buf[i]);
            }
        }));
        cs.add(new Case("adam", p -> Optimizers.adam(p, 0.1), () -> adamRef(0.1, 0.9, 0.999, 1e-8, 0, false, false)));
        cs.add(new Case("adam wd eps", p -> Optimizers.adam(p, Schedule.constant(0.1), 0.8, 0.99, 0.5, 0.1, false),
                () -> adamRef(0.1, 0.8, 0.99, 0.5, 0.1, false, false)));
        cs.add(new Case("amsgrad", p -> Optimizers.amsgrad(p, 0.1), () -> adamRef(0.1, 0.9, 0.999, 1e-8, 0, true, false)));
        cs.add(new Case("adamW", p -> Optimizers.adamW(p, 0.1, 0.2), () -> adamRef(0.1, 0.9, 0.999, 1e-8, 0.2, false, true)));
        cs.add(new Case("adamW amsgrad", p -> Optimizers.adamW(p, Schedule.constant(0.1), 0.9, 0.999, 1e-8, Schedule.constant(0.2),
                n -> true, true), () -> adamRef(0.1, 0.9, 0.999, 1e-8, 0.2, true, true)));
        cs.add(new Case("adamax", p -> Optimizers.adamax(p, 0.1, 0.9, 0.999, 1e-8, 0.05), () -> new Ref() {
            double[] m = new double[5], u = new double[5];
            int t;

            public void step(double[] w, UnaryOperator<double[]> gf) {
                double[] g = gf.apply(w);
                t++;
                for (int i = 0; i < 5; i++) {
                    g[i] += 0.05 * w[i];
                    m[i] = 0.9 * m[i] + 0.1 * g[i];
                    u[i] = Math.max(0.999 * u[i], Math.abs(g[i]) + 1e-8);
                    w[i] -= 0.1 / (1 - Math.pow(0.9, t)) * m[i] / u[i];
                }
            }
        }));
        cs.add(new Case("nadam", p -> Optimizers.nadam(p, 0.1, 0.9, 0.999, 1e-8, 0.05, 4e-3), () -> new Ref() {
            double[] m = new double[5], v = new double[5];
            double prod = 1;
            int t;

            public void step(double[] w, UnaryOperator<double[]> gf) {
                double[] g = gf.apply(w);
                t++;
                double mu = 0.9 * (1 - 0.5 * Math.pow(0.96, t * 4e-3));
                double mu1 = 0.9 * (1 - 0.5 * Math.pow(0.96, (t + 1) * 4e-3));
                prod *= mu;
                for (int i = 0; i < 5; i++) {
                    g[i] += 0.05 * w[i];
                    m[i] = 0.9 * m[i] + 0.1 * g[i];
                    v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
                    double denom = Math.sqrt(v[i] / (1 - Math.pow(0.999, t))) + 1e-8;
                    w[i] -= 0.1 * (1 - mu) / (1 - prod) * g[i] / denom;
                    w[i] -= 0.1 * mu1 / (1 - prod * mu1) * m[i] / denom;
                }
            }
        }));
        // b2 = 0.9 makes the rectification start at step 6, so both branches run within STEPS.
        cs.add(new Case("radam", p -> Optimizers.radam(p, 0.1, 0.9, 0.9, 1e-8, 0.05), () -> new Ref() {
            double[] m = new double[5], v = new double[5];
            int t;

            public void step(double[] w, UnaryOperator<double[]> gf) {
                double[] g = gf.apply(w);
                t++;
                double b1 = 0.9, b2 = 0.9;
                double rhoInf = 2 / (1 - b2) - 1;
                double rho = rhoInf - 2 * t * Math.pow(b2, t) / (1 - Math.pow(b2, t));
                for (int i = 0; i < 5; i++) {
                    g[i] += 0.05 * w[i];
                    m[i] = b1 * m[i] + (1 - b1) * g[i];
                    v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
                    double mh = m[i] / (1 - Math.pow(b1, t));
                    if (rho > 5) {
                        double rect = Math.sqrt((rho - 4) * (rho - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rho));
                        double adaptive = Math.sqrt(1 - Math.pow(b2, t)) / (Math.sqrt(v[i]) + 1e-8);
                        w[i] -= 0.1 * mh * rect * adaptive;
                    } else {
                        w[i] -= 0.1 * mh;
                    }
                }
            }
        }));
        cs.add(new Case("adagrad", p -> Optimizers.adagrad(p, 0.1, 0.01, 0.01, 0.1, 1e-10), () -> new Ref() {
            double[] s = {0.1, 0.1, 0.1, 0.1, 0.1};
            int t;

            public void step(double[] w, UnaryOperator<double[]> gf) {
                double[] g = gf.apply(w);
                t++;
                double clr = 0.1 / (1 + (t - 1) * 0.01);
                for (int i = 0; i < 5; i++) {
                    g[i] += 0.01 * w[i];
                    s[i] += g[i] * g[i];
                    w[i] -= clr * g[i] / (Math.sqrt(s[i]) + 1e-10);
                }
            }
        }));
        cs.add(new Case("adadelta", p -> Optimizers.adadelta(p, 1.0, 0.9, 1e-6, 0.01), () -> new Ref() {
            double[] v = new double[5], a = new double[5];

            public void step(double[] w, UnaryOperator<double[]> gf) {
                double[] g = gf.apply(w);
                for (int i = 0; i < 5; i++) {
                    g[i] += 0.01 * w[i];
                    v[i] = 0.9 * v[i] + 0.1 * g[i] * g[i];
                    double delta = Math.sqrt(a[i] + 1e-6) / Math.sqrt(v[i] + 1e-6) * g[i];
                    a[i] = 0.9 * a[i] + 0.1 * delta * delta;
                    w[i] -= 1.0 * delta;
                }
            }
        }));
        cs.add(new Case("rmsprop", p -> Optimizers.rmsprop(p, 0.01), () -> rmspropRef(0.01, 0.99, 1e-8, 0, 0, false)));
        cs.add(new Case("rmsprop centered momentum wd", p -> Optimizers.rmsprop(p, 0.01, 0.9, 1e-3, 0.02, 0.8, true),
                () -> rmspropRef(0.01, 0.9, 1e-3, 0.02, 0.8, true)));
        cs.add(new Case("rprop", p -> Optimizers.rprop(p, 0.1), () -> new Ref() {
            double[] prev = new double[5], eta = {0.1, 0.1, 0.1, 0.1, 0.1};

            public void step(double[] w, UnaryOperator<double[]> gf) {
                double[] g = gf.apply(w);
                for (int i = 0; i < 5; i++) {
                    double s = g[i] * prev[i];
                    if (s > 0) eta[i] = Math.min(eta[i] * 1.2, 50);
                    else if (s < 0) {
                        eta[i] = Math.max(eta[i] * 0.5, 1e-6);
                        g[i] = 0;
                    }
                    w[i] -= Math.signum(g[i]) * eta[i];
                    prev[i] = g[i];
                }
            }
        }));
        cs.add(new Case("lion", p -> Optimizers.lion(p, Schedule.constant(0.03), 0.9, 0.99, Schedule.constant(0.5), n -> true),
                () -> new Ref() {
                    double[] m = new double[5];

                    public void step(double[] w, UnaryOperator<double[]> gf) {
                        double[] g = gf.apply(w);
                        for (int i = 0; i < 5; i++) {
                            double c = 0.9 * m[i] + 0.1 * g[i];
                            w[i] = w[i] * (1 - 0.03 * 0.5) - 0.03 * Math.signum(c);
                            m[i] = 0.99 * m[i] + 0.01 * g[i];
                        }
                    }
                }));
        cs.add(new Case("lamb", p -> Optimizers.lamb(p, Schedule.constant(0.1), 0.9, 0.999, 1e-6, 0.01, n -> true), () -> new Ref() {
            double[] m = new double[5], v = new double[5];
            int t;

            public void step(double[] w, UnaryOperator<double[]> gf) {
                double[] g = gf.apply(w), r = new double[5];
                t++;
                for (int i = 0; i < 5; i++) {
                    m[i] = 0.9 * m[i] + 0.1 * g[i];
                    v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
                    double mh = m[i] / (1 - Math.pow(0.9, t)), vh = v[i] / (1 - Math.pow(0.999, t));
                    r[i] = mh / (Math.sqrt(vh) + 1e-6) + 0.01 * w[i];
                }
                double ratio = norm(w) / norm(r);
                for (int i = 0; i < 5; i++) w[i] -= 0.1 * ratio * r[i];
            }
        }));
        cs.add(new Case("lars", p -> Optimizers.lars(p, 1.0, 0.01, n -> true, 0.02, 1e-9, 0.9, false), () -> new Ref() {
            double[] buf;

            public void step(double[] w, UnaryOperator<double[]> gf) {
                double[] g = gf.apply(w);
                for (int i = 0; i < 5; i++) g[i] += 0.01 * w[i];
                double ratio = 0.02 * norm(w) / (norm(g) + 1e-9);
                for (int i = 0; i < 5; i++) g[i] *= ratio;
                if (buf == null) buf = g.clone();
                else for (int i = 0; i < 5; i++) buf[i] = 0.9 * buf[i] + g[i];
                for (int i = 0; i < 5; i++) w[i] -= 1.0 * buf[i];
            }
        }));
        cs.add(new Case("yogi", p -> Optimizers.yogi(p, 0.1), () -> new Ref() {
            double[] m = new double[5], v = {1e-6, 1e-6, 1e-6, 1e-6, 1e-6};

            public void step(double[] w, UnaryOperator<double[]> gf) {
                double[] g = gf.apply(w);
                for (int i = 0; i < 5; i++) {
                    double g2 = g[i] * g[i];
                    m[i] = 0.9 * m[i] + 0.1 * g[i];
                    v[i] -= 0.001 * Math.signum(v[i] - g2) * g2;
                    w[i] -= 0.1 * m[i] / (Math.sqrt(v[i]) + 1e-3);
                }
            }
        }));
        cs.add(new Case("adaBelief", p -> Optimizers.adaBelief(p, 0.1, 0.9, 0.999, 1e-3, 1e-4), () -> new Ref() {
            double[] m = new double[5], s = new double[5];
            int t;

            public void step(double[] w, UnaryOperator<double[]> gf) {
                double[] g = gf.apply(w);
                t++;
                for (int i = 0; i < 5; i++) {
                    m[i] = 0.9 * m[i] + 0.1 * g[i];
                    s[i] = 0.999 * s[i] + 0.001 * (g[i] - m[i]) * (g[i] - m[i]) + 1e-4;
                    double mh = m[i] / (1 - Math.pow(0.9, t)), sh = s[i] / (1 - Math.pow(0.999, t));
                    w[i] -= 0.1 * mh / (Math.sqrt(sh) + 1e-3);
                }
            }
        }));
        cs.add(new Case("signSgd", p -> Optimizers.signSgd(p, 0.05), () -> (w, gf) -> {
            double[] g = gf.apply(w);
            for (int i = 0; i < 5; i++) w[i] -= 0.05 * Math.signum(g[i]);
        }));
        cs.add(new Case("lookahead(sgd momentum)", p -> Optimizers.lookahead(Optimizers.sgd(p, 0.05, 0.9, 0, false, 0), 3, 0.5),
                () -> new Ref() {
                    double[] buf, slow = W0.clone();
                    int t;

                    public void step(double[] w, UnaryOperator<double[]> gf) {
                        double[] g = gf.apply(w);
                        if (buf == null) buf = g.clone();
                        else for (int i = 0; i < 5; i++) buf[i] = 0.9 * buf[i] + g[i];
                        for (int i = 0; i < 5; i++) w[i] -= 0.05 * buf[i];
                        if (++t % 3 == 0) {
                            for (int i = 0; i < 5; i++) {
                                slow[i] += 0.5 * (w[i] - slow[i]);
                                w[i] = slow[i];
                            }
                        }
                    }
                }));
        cs.add(new Case("sam(sgd)", p -> Optimizers.sam(p, Transforms.scaleByLearningRate(0.05), 0.1), () -> (w, gf) -> {
            double[] g = gf.apply(w);
            double n = norm(g);
            double[] we = new double[5];
            for (int i = 0; i < 5; i++) we[i] = w[i] + 0.1 * g[i] / (n + 1e-12);
            double[] g2 = gf.apply(we);
            for (int i = 0; i < 5; i++) w[i] -= 0.05 * g2[i];
        }));
        cs.add(new Case("adafactor (unfactored)", p -> Optimizers.adafactor(p, 0.1, -0.8, Math.ulp(1.0), 1e-3, 1.0, 0.1),
                () -> new Ref() {
                    double[] v = new double[5];
                    int t;

                    public void step(double[] w, UnaryOperator<double[]> gf) {
                        double[] g = gf.apply(w);
                        t++;
                        double lerpW = Math.pow(t, -0.8), rho = Math.min(0.1, 1 / Math.sqrt(t));
                        double alpha = Math.max(1e-3, norm(w) / Math.sqrt(5)) * rho;
                        for (int i = 0; i < 5; i++) w[i] *= 1 - 0.1 * 0.1;
                        double[] u = new double[5];
                        for (int i = 0; i < 5; i++) {
                            v[i] = v[i] + lerpW * (g[i] * g[i] - v[i]);
                            u[i] = g[i] / Math.sqrt(Math.max(v[i], Math.ulp(1.0) * Math.ulp(1.0)));
                        }
                        double denom = Math.max(1, norm(u) / Math.sqrt(5));
                        for (int i = 0; i < 5; i++) w[i] -= alpha / denom * u[i];
                    }
                }));
        // Schedule-free references in the paper's three-sequence form (z, x, y = (1−β)z + βx), not the in-place one.
        cs.add(new Case("scheduleFreeSgd", p -> Optimizers.scheduleFreeSgd(p, 0.1, 0.9, 0.01, 0), () -> scheduleFreeRef(0.1, 0.9, 0.01,
                false)));
        cs.add(new Case("scheduleFreeAdamW", p -> Optimizers.scheduleFreeAdamW(p, 0.05, 0.9, 0.999, 1e-8, 0.01, 0),
                () -> scheduleFreeRef(0.05, 0.9, 0.01, true)));
        cs.add(new Case("dog", p -> Optimizers.dog(p, 1e-4), () -> new Ref() {
            double[] x0 = W0.clone();
            double rBar = 1e-4 * (1 + norm(W0)), sum;

            public void step(double[] w, UnaryOperator<double[]> gf) {
                double[] g = gf.apply(w), d = new double[5];
                for (int i = 0; i < 5; i++) d[i] = w[i] - x0[i];
                rBar = Math.max(rBar, norm(d));
                sum += norm(g) * norm(g);
                for (int i = 0; i < 5; i++) w[i] -= rBar / Math.sqrt(sum) * g[i];
            }
        }));
        cs.add(new Case("polyakSgd", p -> Optimizers.polyakSgd(p, 0, 0.5, 1e-12), () -> (w, gf) -> {
            double[] g = gf.apply(w);
            double f = 0;
            for (int i = 0; i < 5; i++) f += 0.5 * A[i] * (w[i] - C[i]) * (w[i] - C[i]);
            double eta = Math.min(0.5, f / (norm(g) * norm(g) + 1e-12));
            for (int i = 0; i < 5; i++) w[i] -= eta * g[i];
        }));
        cs.add(new Case("fadam", p -> Optimizers.fadam(p, 0.1), () -> fadamRef(0.1, 0.9, 0.999, 1e-8, 1, 0.5, 1e-3)));
        // clip 0.5 makes both RMS clips bind; p = 0.25 and a large eps move the preconditioner off Adam's.
        cs.add(new Case("fadam clip p eps wd", p -> Optimizers.fadam(p, Schedule.constant(0.05), 0.8, 0.99, 0.3, 0.5, 0.25, 0.2),
                () -> fadamRef(0.05, 0.8, 0.99, 0.3, 0.5, 0.25, 0.2)));
        cs.add(new Case("gam(sgd)", p -> Optimizers.gam(p, Transforms.scaleByLearningRate(0.05), 0.1, 0.05, 0.5),
                () -> gamRef(0.05, 0.1, 0.05, 0.5)));
        return cs;
    }

    static double rms(double[] x) {
        return norm(x) / Math.sqrt(x.length);
    }

    /**
     * FAdam (Hwang 2024, Algorithm 1) with the Fisher written as Adam's corrected second moment v/(1−β2^t), which the
     * paper's β̂2 recursion equals.
     */
    static Ref fadamRef(double lr, double b1, double b2, double eps, double clip, double pow, double wd) {
        return new Ref() {
            double[] m = new double[5], v = new double[5];
            int t;

            public void step(double[] w, UnaryOperator<double[]> gf) {
                double[] g = gf.apply(w);
                t++;
                double epsT = eps * Math.min(1, rms(g));
                double[] nat = new double[5], dec = new double[5];
                for (int i = 0; i < 5; i++) {
                    v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
                    double den = Math.pow(v[i] / (1 - Math.pow(b2, t)), pow) + epsT;
                    nat[i] = g[i] / den;
                    dec[i] = w[i] / den;
                }
                double cn = Math.max(1, rms(nat) / clip), cd = Math.max(1, rms(dec) / clip);
                for (int i = 0; i < 5; i++) {
                    m[i] = b1 * m[i] + (1 - b1) * nat[i] / cn;
                    w[i] -= lr * (m[i] + wd * dec[i] / cd);
                }
            }
        };
    }

    /** GAM + SAM with finite-difference Hessian-vector products, four gradients a step, plain SGD as the base. */
    static Ref gamRef(double lr, double rho, double rhoPrime, double alpha) {
        return (w, gf) -> {
            double[] g0 = gf.apply(w), w1 = new double[5], d = new double[5], wa = new double[5], w3 = new double[5];
            double n0 = norm(g0);
            for (int i = 0; i < 5; i++) w1[i] = w[i] + rhoPrime * g0[i] / (n0 + 1e-12);
            double[] g1 = gf.apply(w1);
            for (int i = 0; i < 5; i++) d[i] = g1[i] - g0[i];
            double nd = norm(d);
            for (int i = 0; i < 5; i++) wa[i] = w[i] + rho * d[i] / (nd + 1e-12);
            double[] g2 = gf.apply(wa);
            double n2 = norm(g2);
            for (int i = 0; i < 5; i++) w3[i] = wa[i] + rhoPrime * g2[i] / (n2 + 1e-12);
            double[] g3 = gf.apply(w3);
            for (int i = 0; i < 5; i++) w[i] -= lr * (g1[i] + alpha * rho / rhoPrime * (g3[i] - g2[i]));
        };
    }

    static Ref scheduleFreeRef(double lr, double beta, double wd, boolean adam) {
        return new Ref() {
            double[] z = W0.clone(), x = W0.clone(), v = new double[5];
            int t;

            public void step(double[] y, UnaryOperator<double[]> gf) {
                double[] g = gf.apply(y);
                t++;
                for (int i = 0; i < 5; i++) {
                    double d = g[i];
                    if (adam) {
                        v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
                        d = d / (Math.sqrt(v[i] / (1 - Math.pow(0.999, t))) + 1e-8);
                    }
                    d += wd * y[i];
                    z[i] -= lr * d;
                    x[i] = (1 - 1.0 / t) * x[i] + (1.0 / t) * z[i];
                    y[i] = (1 - beta) * z[i] + beta * x[i];
                }
            }
        };
    }

    /** PyTorch's Adam/AdamW (single-tensor path): L2 folded into g for Adam, p *= 1 − lr·wd first for AdamW. */
    static Ref adamRef(double lr, double b1, double b2, double eps, double wd, boolean amsgrad, boolean decoupled) {
        return new Ref() {
            double[] m = new double[5], v = new double[5], vmax = new double[5];
            int t;

            public void step(double[] w, UnaryOperator<double[]> gf) {
                double[] g = gf.apply(w);
                t++;
                for (int i = 0; i < 5; i++) {
                    if (decoupled) w[i] *= 1 - lr * wd;
                    else g[i] += wd * w[i];
                    m[i] = b1 * m[i] + (1 - b1) * g[i];
                    v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
                    double bc1 = 1 - Math.pow(b1, t), bc2 = 1 - Math.pow(b2, t);
                    double stepSize = lr / bc1;
                    double vv = v[i];
                    if (amsgrad) {
                        vmax[i] = Math.max(vmax[i], v[i]);
                        vv = vmax[i];
                    }
                    double denom = Math.sqrt(vv) / Math.sqrt(bc2) + eps;
                    w[i] -= stepSize * m[i] / denom;
                }
            }
        };
    }

    static Ref rmspropRef(double lr, double alpha, double eps, double wd, double momentum, boolean centered) {
        return new Ref() {
            double[] v = new double[5], gAvg = new double[5], buf = new double[5];

            public void step(double[] w, UnaryOperator<double[]> gf) {
                double[] g = gf.apply(w);
                for (int i = 0; i < 5; i++) {
                    g[i] += wd * w[i];
                    v[i] = alpha * v[i] + (1 - alpha) * g[i] * g[i];
                    double avg;
                    if (centered) {
                        gAvg[i] = alpha * gAvg[i] + (1 - alpha) * g[i];
                        avg = Math.sqrt(v[i] - gAvg[i] * gAvg[i]) + eps;
                    } else {
                        avg = Math.sqrt(v[i]) + eps;
                    }
                    if (momentum > 0) {
                        buf[i] = momentum * buf[i] + g[i] / avg;
                        w[i] -= lr * buf[i];
                    } else {
                        w[i] -= lr * g[i] / avg;
                    }
                }
            }
        };
    }

    static Tensor runStep(Optimizer opt, Tensor w) {
        Supplier<Tensor> closure = () -> {
            opt.zeroGrad();
            Tensor l = loss(w);
            l.backward();
            return l;
        };
        return opt.step(closure);
    }

    @TestFactory
    List<DynamicTest> firstStepsMatchTheEquations() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Case c : cases()) {
            tests.add(DynamicTest.dynamicTest(c.name(), () -> {
                Tensor w = Tensor.of(W0.clone()).requiresGrad(true);
                Map<String, Tensor> params = new LinkedHashMap<>();
                params.put("w", w);
                Optimizer opt = c.make().apply(params);
                Ref ref = c.ref().get();
                double[] expected = W0.clone();
                for (int s = 1; s <= STEPS; s++) {
                    runStep(opt, w);
                    ref.step(expected, OptimizersUpdateTest::grad);
                    double[] got = w.toArray();
                    for (int i = 0; i < expected.length; i++) {
                        assertEquals(expected[i], got[i], 1e-10 * Math.max(1, Math.abs(expected[i])),
                                c.name() + ": step " + s + ", element " + i);
                    }
                }
                assertTrue(!java.util.Arrays.equals(W0, w.toArray()), c.name() + " did not move");
            }));
        }
        return tests;
    }
}
