/// Gradient checks of tape gradients against central finite differences
/// (a public test utility for every module's tests; Double only).
///
/// For each scalar input element x_i the numeric derivative is
///   n_i = (f(x + ε e_i) − f(x − ε e_i)) / (2ε)
/// and the reported error is the maximum over all elements of
///   |a_i − n_i| / max(1, |n_i|)
/// (absolute error for small derivatives, relative error for large ones), where
/// a_i is the tape gradient (0 where the tape gives none). With ε = 1e-6 in
/// Double, truncation error is O(ε²) and round-off O(1e-16/ε); the se3 tests require < 1e-6.
public enum GradientCheck {
    /// Checks ∂f/∂inputs. `f` receives a fresh tape and one `variable` per input
    /// and must return a scalar (count 1). It is evaluated `1 + 2·Σ count` times.
    public static func check(inputs: [Tensor<Double>], epsilon: Double = 1e-6,
                             _ f: (Tape<Double>, [Variable<Double>]) -> Variable<Double>) -> Double {
        let tape = Tape<Double>()
        let vars = inputs.map { tape.variable($0) }
        let out = f(tape, vars)
        tape.backward(out)
        let analytic = zip(inputs, vars).map { t, v in tape.gradient(v) ?? Tensor(zeros: t.shape) }

        func evaluate(_ xs: [Tensor<Double>]) -> Double {
            let t = Tape<Double>()
            return f(t, xs.map { t.variable($0) }).scalar
        }
        var worst = 0.0
        var xs = inputs
        for k in 0..<xs.count {
            for i in 0..<xs[k].count {
                let x0 = xs[k].scalars[i]
                xs[k].scalars[i] = x0 + epsilon
                let fp = evaluate(xs)
                xs[k].scalars[i] = x0 - epsilon
                let fm = evaluate(xs)
                xs[k].scalars[i] = x0
                worst = Swift.max(worst, error(analytic[k].scalars[i], (fp - fm) / (2 * epsilon)))
            }
        }
        return worst
    }

    /// Checks the gradients a tape accumulates into `store.grads` for every
    /// scalar of every parameter. `f` receives a fresh `Tape(store: store)` and
    /// must build a scalar from `tape.parameter(_:)` leaves. The store's values
    /// and gradients are restored before returning.
    public static func checkParameters(store: ParameterStore<Double>, epsilon: Double = 1e-6,
                                       _ f: (Tape<Double>) -> Variable<Double>) -> Double {
        let savedGrads = store.grads
        defer { store.grads = savedGrads }
        store.zeroGrads()
        let tape = Tape<Double>(store: store)
        tape.backward(f(tape))
        let analytic = store.grads

        var worst = 0.0
        for i in 0..<store.count {
            let x0 = store.values[i]
            store.values[i] = x0 + epsilon
            let fp = f(Tape(store: store)).scalar
            store.values[i] = x0 - epsilon
            let fm = f(Tape(store: store)).scalar
            store.values[i] = x0
            worst = Swift.max(worst, error(analytic[i], (fp - fm) / (2 * epsilon)))
        }
        return worst
    }

    /// |a − n| / max(1, |n|); NaN anywhere counts as infinitely wrong.
    static func error(_ analytic: Double, _ numeric: Double) -> Double {
        let e = Swift.abs(analytic - numeric) / Swift.max(1, Swift.abs(numeric))
        return e.isNaN ? .infinity : e
    }
}
