// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Quipu",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "quipu", targets: ["quipu"]),
        .library(name: "QuipuCore", targets: ["LinearAlgebra", "PanelData", "Formula", "Estimation", "Inference", "DiD", "Reporting", "Simulation"]),
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
        .target(name: "LinearAlgebra", dependencies: ["COpenBLAS"]),
        .target(name: "PanelData"),
        .target(name: "Formula"),
        .target(name: "Inference", dependencies: ["LinearAlgebra"]),
        .target(name: "Estimation", dependencies: ["LinearAlgebra", "PanelData", "Formula", "Inference"]),
        .target(name: "DiD", dependencies: ["Estimation", "Formula", "Inference", "PanelData"]),
        .target(name: "Simulation"),
        .target(name: "Reporting", dependencies: ["Estimation", "Inference", "PanelData", "DiD"]),
        // `quipu report`: the evaluation spec, the runs it asks for (through the same library code
        // as the subcommands) and the report directory.
        .target(name: "Reports", dependencies: [
            "Reporting", "DiD", "Estimation", "Formula", "Inference", "PanelData",
            .product(name: "Yams", package: "Yams"),
        ]),
        .executableTarget(
            name: "quipu",
            dependencies: [
                "COpenBLAS", "LinearAlgebra", "Estimation", "Reporting", "PanelData", "Formula", "Inference", "DiD", "Simulation", "Reports",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Fuzzing (`make fuzz`, Tests/Fuzz): the targets' bodies, shared by the libFuzzer
        // executables and the corpus test that `swift test` runs.
        .target(name: "FuzzSupport", dependencies: ["PanelData", "Formula", "Estimation", "Inference", "LinearAlgebra"]),
        .executableTarget(name: "FuzzCSV", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzFormula", dependencies: ["FuzzSupport"]),
        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra"]),
        .testTarget(name: "PanelDataTests", dependencies: ["PanelData"]),
        .testTarget(name: "FormulaTests", dependencies: ["Formula"]),
        .testTarget(name: "EstimationTests", dependencies: ["Estimation", "Inference", "PanelData", "Formula", "LinearAlgebra"]),
        .testTarget(name: "InferenceTests", dependencies: ["Inference"]),
        .testTarget(name: "SimulationTests", dependencies: ["Simulation"]),
        .testTarget(name: "DiDTests", dependencies: ["DiD"]),
        .testTarget(name: "ReportingTests", dependencies: ["Reporting"]),
        .testTarget(name: "QuipuTests", dependencies: ["Reporting", "Estimation", "Reports"]),
        .testTarget(name: "FuzzTests", dependencies: ["FuzzSupport"]),
    ]
)
