import SE3Config

/// The `training:` section: optimiser, schedule, loss and run length.
public struct OptimizationConfig: Codable, Equatable {
    public var epochs: Int
    /// Stop after this many optimiser steps even if epochs remain (nil: no limit).
    public var maxSteps: Int?
    public var seed: UInt64
    /// `l1` (default, MAE on standardised targets) or `mse`.
    public var loss: LossFunction.Kind
    /// AdamW peak learning rate.
    public var lr: Double
    public var weightDecay: Double
    public var beta1: Double
    public var beta2: Double
    public var eps: Double
    /// `cosine` (after linear warmup, to `min_lr`), `plateau` (reduce on validation plateau) or `constant`.
    public var schedule: LearningRateSchedule.Kind
    public var warmupSteps: Int
    public var minLR: Double
    /// Plateau schedule: multiply lr by `plateau_factor` after `plateau_patience` epochs without improvement.
    public var plateauFactor: Double
    public var plateauPatience: Int
    /// Clip the global gradient L2 norm to this value (0: off).
    public var clipGradNorm: Double
    /// Exponential moving average of the weights (0: off); evaluation uses the EMA weights.
    public var emaDecay: Double
    /// Print a progress line every this many steps.
    public var logEvery: Int
    /// Steps whose gradient (or loss) is not finite are skipped, the parameters untouched; after
    /// this many in one run, training stops with an error naming the step and its batch.
    public var maxBadSteps: Int
    /// The precision of parameters, optimiser state, gradients and every computation: `float32`
    /// (default; the benchmark figures) or `float64` (as MACE trains potentials by default).
    public var dtype: DType

    /// `training.dtype`.
    public enum DType: String, ConfigChoice { case float32, float64 }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case epochs, maxSteps = "max_steps", seed, loss, lr, weightDecay = "weight_decay", beta1, beta2, eps
        case schedule, warmupSteps = "warmup_steps", minLR = "min_lr", plateauFactor = "plateau_factor"
        case plateauPatience = "plateau_patience", clipGradNorm = "clip_grad_norm", emaDecay = "ema_decay"
        case logEvery = "log_every", maxBadSteps = "max_bad_steps", dtype
    }

    public init() {
        epochs = 10; maxSteps = nil; seed = 0; loss = .l1; lr = 5e-3; weightDecay = 0; beta1 = 0.9; beta2 = 0.999
        eps = 1e-8; schedule = .cosine; warmupSteps = 50; minLR = 1e-5; plateauFactor = 0.5; plateauPatience = 3
        clipGradNorm = 10; emaDecay = 0.99; logEvery = 10; maxBadSteps = 5; dtype = .float32
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = OptimizationConfig()
        epochs = try c.decode(Int.self, forKey: .epochs)
        maxSteps = try c.decodeIfPresent(Int.self, forKey: .maxSteps)
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? d.seed
        loss = try c.decodeIfPresent(LossFunction.Kind.self, forKey: .loss) ?? d.loss
        lr = try c.decodeIfPresent(Double.self, forKey: .lr) ?? d.lr
        weightDecay = try c.decodeIfPresent(Double.self, forKey: .weightDecay) ?? d.weightDecay
        beta1 = try c.decodeIfPresent(Double.self, forKey: .beta1) ?? d.beta1
        beta2 = try c.decodeIfPresent(Double.self, forKey: .beta2) ?? d.beta2
        eps = try c.decodeIfPresent(Double.self, forKey: .eps) ?? d.eps
        schedule = try c.decodeIfPresent(LearningRateSchedule.Kind.self, forKey: .schedule) ?? d.schedule
        warmupSteps = try c.decodeIfPresent(Int.self, forKey: .warmupSteps) ?? d.warmupSteps
        minLR = try c.decodeIfPresent(Double.self, forKey: .minLR) ?? d.minLR
        plateauFactor = try c.decodeIfPresent(Double.self, forKey: .plateauFactor) ?? d.plateauFactor
        plateauPatience = try c.decodeIfPresent(Int.self, forKey: .plateauPatience) ?? d.plateauPatience
        clipGradNorm = try c.decodeIfPresent(Double.self, forKey: .clipGradNorm) ?? d.clipGradNorm
        emaDecay = try c.decodeIfPresent(Double.self, forKey: .emaDecay) ?? d.emaDecay
        logEvery = try c.decodeIfPresent(Int.self, forKey: .logEvery) ?? d.logEvery
        maxBadSteps = try c.decodeIfPresent(Int.self, forKey: .maxBadSteps) ?? d.maxBadSteps
        dtype = try c.decodeIfPresent(DType.self, forKey: .dtype) ?? d.dtype
    }

    func validate(file: String) throws {
        func fail(_ k: String, _ m: String) -> ConfigError { ConfigError(file: file, key: "training.\(k)", m) }
        guard epochs >= 1 else { throw fail("epochs", "must be >= 1, got \(epochs)") }
        if let m = maxSteps, m < 1 { throw fail("max_steps", "must be >= 1") }
        guard lr > 0, lr.isFinite else { throw fail("lr", "must be positive, got \(lr)") }
        guard weightDecay >= 0 else { throw fail("weight_decay", "must be >= 0") }
        guard (0..<1).contains(beta1) else { throw fail("beta1", "must be in [0, 1)") }
        guard (0..<1).contains(beta2) else { throw fail("beta2", "must be in [0, 1)") }
        guard eps > 0 else { throw fail("eps", "must be positive") }
        guard warmupSteps >= 0 else { throw fail("warmup_steps", "must be >= 0") }
        guard minLR >= 0, minLR <= lr else { throw fail("min_lr", "must be in [0, lr]") }
        guard plateauFactor > 0, plateauFactor < 1 else { throw fail("plateau_factor", "must be in (0, 1)") }
        guard plateauPatience >= 0 else { throw fail("plateau_patience", "must be >= 0") }
        guard clipGradNorm >= 0 else { throw fail("clip_grad_norm", "must be >= 0 (0 disables)") }
        guard (0..<1).contains(emaDecay) else { throw fail("ema_decay", "must be in [0, 1) (0 disables)") }
        guard logEvery >= 1 else { throw fail("log_every", "must be >= 1") }
        guard maxBadSteps >= 0 else { throw fail("max_bad_steps", "must be >= 0, got \(maxBadSteps)") }
    }
}
