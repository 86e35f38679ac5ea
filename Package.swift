// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Quipu",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "quipu", targets: ["quipu"]),
        .library(name: "QuipuCore", targets: ["Primitives", "LinearAlgebra", "PanelData", "Formula", "Estimation", "Inference", "DiD", "Reporting", "Simulation", "Sensitivity", "Power"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // The evaluation spec of `quipu report` is YAML: Yams keeps every node's line and column,
        // so a spec error names its line.
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
    ],
    targets: [
        .systemLibrary(
            name: "COpenBLAS",
            path: "Sources/COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]
        ),
        // Readers of the formats evaluators hold besides CSV (see "Data formats" in the README).
        .systemLibrary(name: "CReadStat", path: "Sources/CReadStat", providers: [.apt(["libreadstat-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CLZ4", path: "Sources/CLZ4", pkgConfig: "liblz4", providers: [.apt(["liblz4-dev"])]),
        .systemLibrary(name: "CZstd", path: "Sources/CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        // The primitives every module shares: the JSON writer, and (as they move here) number
        // formatting, random streams and typed diagnostics. It depends on nothing.
        .target(name: "Primitives"),
        .target(name: "LinearAlgebra", dependencies: ["COpenBLAS"]),
        .target(name: "PanelData", dependencies: ["CReadStat", "CZlib", "CLZ4", "CZstd"]),
        .target(name: "Formula"),
        .target(name: "Inference", dependencies: ["LinearAlgebra", "Primitives"]),
        .target(name: "Estimation", dependencies: ["Primitives", "LinearAlgebra", "PanelData", "Formula", "Inference"]),
        .target(name: "DiD", dependencies: ["Primitives", "Estimation", "Formula", "Inference", "PanelData"]),
        .target(name: "Simulation", dependencies: ["Primitives"]),
        // Fits past one machine (docs/scaling.md section 5): each partition's sums for
        // `quipu partial`, and their combination for `quipu combine`.
        .target(name: "Partials", dependencies: ["LinearAlgebra", "PanelData", "Formula", "Estimation", "Inference", "Reporting"]),
        // Sensitivity to parallel-trend violations (Rambachan & Roth 2023) for any event study.
        .target(name: "Sensitivity", dependencies: ["Primitives", "LinearAlgebra", "Inference"]),
        // Power of a planned evaluation (`quipu power`): the analytic MDE of Burlig, Preonas &
        // Woerman (2020) and simulated power curves through the DiD estimators.
        .target(name: "Power", dependencies: ["Primitives", "LinearAlgebra", "Inference", "PanelData", "Estimation", "DiD", "Simulation"]),
        .target(name: "Reporting", dependencies: ["Primitives", "Estimation", "Inference", "PanelData", "DiD", "Sensitivity", "Power"]),
        // `quipu report`: the evaluation spec, the runs it asks for (through the same library code
        // as the subcommands) and the report directory.
        .target(name: "Reports", dependencies: [
            "Primitives", "Reporting", "DiD", "Estimation", "Formula", "Inference", "PanelData", "Power", "Sensitivity",
            .product(name: "Yams", package: "Yams"),
        ]),
        .executableTarget(
            name: "quipu",
            dependencies: [
                "COpenBLAS", "Primitives", "LinearAlgebra", "Estimation", "Reporting", "PanelData", "Formula", "Inference", "DiD", "Simulation", "Reports", "Sensitivity", "Power", "Partials",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Fuzzing (`make fuzz`, Tests/Fuzz): the targets' bodies, shared by the libFuzzer
        // executables and the corpus test that `swift test` runs.
        .target(name: "FuzzSupport", dependencies: ["Primitives", "PanelData", "Formula", "Estimation", "Inference", "LinearAlgebra"]),
        .executableTarget(name: "FuzzCSV", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzFormula", dependencies: ["FuzzSupport"]),
        // One test-support target for every suite: tolerances, fixture loading, schema validation.
        .target(name: "QuipuTestSupport", path: "Tests/QuipuTestSupport"),
        .testTarget(name: "LinearAlgebraTests", dependencies: ["QuipuTestSupport", "LinearAlgebra"]),
        .testTarget(name: "PanelDataTests", dependencies: ["QuipuTestSupport", "PanelData"]),
        .testTarget(name: "FormulaTests", dependencies: ["QuipuTestSupport", "Formula"]),
        .testTarget(name: "EstimationTests", dependencies: ["QuipuTestSupport", "Primitives", "Estimation", "Inference", "PanelData", "Formula", "LinearAlgebra"]),
        .testTarget(name: "InferenceTests", dependencies: ["QuipuTestSupport", "Inference"]),
        .testTarget(name: "SimulationTests", dependencies: ["QuipuTestSupport", "Primitives", "Simulation"]),
        .testTarget(name: "DiDTests", dependencies: ["QuipuTestSupport", "DiD"]),
        .testTarget(name: "SensitivityTests", dependencies: ["QuipuTestSupport", "Sensitivity", "LinearAlgebra"]),
        .testTarget(name: "PowerTests", dependencies: ["QuipuTestSupport", "Power", "PanelData", "Primitives"]),
        .testTarget(name: "ReportingTests", dependencies: ["QuipuTestSupport", "Reporting", "Primitives"]),
        .testTarget(name: "QuipuTests", dependencies: ["QuipuTestSupport", "Primitives", "Reporting", "Estimation", "Reports", "DiD", "PanelData", "Inference", "Formula", "Sensitivity", "LinearAlgebra"]),
        .testTarget(name: "FuzzTests", dependencies: ["QuipuTestSupport", "FuzzSupport"]),
    ]
)
