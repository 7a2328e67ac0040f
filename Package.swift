// swift-tools-version:6.1
// SPDX-License-Identifier: GPL-3.0-or-later

import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "SalesMotion",
    products: [
        .library(name: "SalesMotion", targets: ["SalesMotion"]),
        .library(name: "LinearProgramming", targets: ["LinearProgramming"]),
        .library(name: "GLPK", targets: ["GLPK"]),
        .executable(name: "salesmotion", targets: ["salesmotion"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/yaslab/CSV.swift", exact: "2.5.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CGLPK",
            providers: [.apt(["libglpk-dev"])]
        ),
        .target(
            name: "CPOSIX"
        ),
        .target(
            name: "TOML",
            swiftSettings: strictSettings
        ),
        .target(
            name: "OutputFiles",
            dependencies: ["CPOSIX"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "InputFiles",
            dependencies: ["OutputFiles"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "SyntheticData",
            dependencies: ["OutputFiles"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "LinearProgramming",
            swiftSettings: strictSettings
        ),
        .target(
            name: "GLPK",
            dependencies: ["CGLPK", "LinearProgramming"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "SalesMotion",
            dependencies: [
                "LinearProgramming",
                "InputFiles",
                "OutputFiles",
                "TOML",
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "salesmotion",
            dependencies: [
                "SalesMotion",
                "LinearProgramming",
                "GLPK",
                "InputFiles",
                "OutputFiles",
                "CPOSIX",
                "SyntheticData",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "salesmotion-fuzz",
            dependencies: ["SalesMotion", "InputFiles"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "LinearProgrammingTests",
            dependencies: ["LinearProgramming"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "GLPKTests",
            dependencies: ["GLPK", "LinearProgramming"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SalesMotionTests",
            dependencies: [
                "SalesMotion",
                "TOML",
                "InputFiles",
                "OutputFiles",
                "SyntheticData",
                "LinearProgramming",
                "GLPK",
                .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "CSV", package: "CSV.swift"),
            ],
            swiftSettings: strictSettings
        ),
    ]
)
