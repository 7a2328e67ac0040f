// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
@testable import SalesMotion
import Testing

private let regionsCSV = """
    region,local_capacity_fte,local_fte_cost,productivity
    EMEA,10,100000,10000000
    APAC,5,80000,8000000

    """

@Suite struct DatasetReaderTests {
    /// Spec §2: an absent optional column takes its default; a blank `name` is the id and a
    /// blank `current_tier` none.
    @Test func defaultsApplyToAbsentColumns() throws {
        let folder = TemporaryFolder()
        folder.write("regions.csv", regionsCSV)
        folder.write("accounts.csv", """
            account_id,hq_region,revenue,margin,growth_potential,name,current_tier
            A1,EMEA,1000,0.3,200,,
            A2,APAC,2000,0.4,0,Beta,

            """)
        let dataset = try Dataset.read(from: folder.path)
        let a1 = dataset.accounts[0], a2 = dataset.accounts[1]
        #expect(a1.name == "A1")
        #expect(a1.centralShare == 0 && a1.competition == 0 && a1.fit == 1)
        #expect(a1.currentTier == nil)
        #expect(a1.footprint == [FootprintShare(region: 0, share: 1)])
        #expect(a2.name == "Beta")
        #expect(a2.footprint == [FootprintShare(region: 1, share: 1)])
        #expect(!dataset.hasCurrentTiers)
    }

    /// Spec §2 (issue 10, finding 4): a blank cell in a present optional column is an error —
    /// `fit = 1` would be the most favourable reading — and a row with a field too many or too
    /// few says so instead of reporting the shifted cells.
    @Test func blankCellsAndWrongFieldCountsAreErrors() throws {
        let folder = TemporaryFolder()
        folder.write("regions.csv", regionsCSV)
        folder.write("accounts.csv", """
            account_id,hq_region,revenue,margin,growth_potential,central_share,competition,fit
            A1,EMEA,1000,0.3,200,0.2,0.1,
            A2,EMEA,1000,0.3,200,,0.1,0.5
            A3,EMEA,$108,100,000,0.3,200,0.2,0.1,0.5
            A4,EMEA,1000,0.3,200

            """)
        let messages = inputMessages { _ = try Dataset.read(from: folder.path) }
        let accounts = folder.file("accounts.csv")
        #expect(messages.sorted() == [
            "\(accounts):2:8: fit: a value is required; expected a fraction from 0 to 1 (or a percentage such as 35%)",
            "\(accounts):3:6: central_share: a value is required; expected a fraction from 0 to 1 (or a percentage such as 35%)",
            "\(accounts):4: line 4 has 10 fields, the header has 8",
            "\(accounts):5: line 5 has 5 fields, the header has 8",
        ])
    }

    /// Issue 10, finding 8: 120 rows with the same mistake make one message with their lines,
    /// not 120 that flood the screen.
    @Test func identicalProblemsAreGrouped() throws {
        let folder = TemporaryFolder()
        folder.write("regions.csv", regionsCSV)
        let rows = (1...120).map { "A\($0),EMEA,\"1,\($0)00\",0.3,200" }
        folder.write("accounts.csv", "account_id,hq_region,revenue,margin,growth_potential\n" + rows.joined(separator: "\n") + "\n")
        let messages = inputMessages { _ = try Dataset.read(from: folder.path) }
        #expect(messages.count == 1)
        #expect(messages.first == "\(folder.file("accounts.csv")):2:3: revenue: expected a number ≥ 0, found \"1,100\"; write plain decimals without thousands separators, with '.' as the decimal point — and the same in 119 more rows: lines 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, …")
    }

    @Test func percentagesBOMCRLFQuotingAndExtraColumns() throws {
        let folder = TemporaryFolder()
        folder.write("regions.csv", regionsCSV)
        let text = "note,account_id,hq_region,revenue,margin,growth_potential,central_share\r\n"
            + "x,A1,EMEA,1.2e3,35%,200,\"12.5 %\"\r\n"
            + "y,\"A2\",APAC,2000,0.4,0,0\r\n"
        folder.write("accounts.csv", bytes: [0xEF, 0xBB, 0xBF] + Array(text.utf8))
        folder.write("footprint.csv", """
            account_id,region,share
            A1,EMEA,60%
            A1,APAC,0.4
            "A2","APAC","1"

            """)
        let dataset = try Dataset.read(from: folder.path)
        #expect(dataset.accounts.map(\.id) == ["A1", "A2"])
        #expect(dataset.accounts[0].revenue == 1200)
        #expect(dataset.accounts[0].margin == 0.35)
        #expect(dataset.accounts[0].centralShare == 0.125)
        #expect(dataset.accounts[0].footprint == [FootprintShare(region: 0, share: 0.6), FootprintShare(region: 1, share: 0.4)])
    }

    @Test func quotedNameWithCommaAndLineBreakKeepsLineNumbers() throws {
        let folder = TemporaryFolder()
        folder.write("regions.csv", regionsCSV)
        folder.write("accounts.csv", """
            account_id,name,hq_region,revenue,margin,growth_potential
            A1,"Acme, Inc.
            Holding",EMEA,1000,0.3,200
            A2,Beta,APAC,-5,0.3,0

            """)
        let messages = inputMessages { _ = try Dataset.read(from: folder.path) }
        #expect(messages == ["\(folder.file("accounts.csv")):4:4: revenue: expected a number ≥ 0, found -5"])
    }

    @Test func everyCellProblemIsReportedWithFileLineAndColumn() {
        let folder = TemporaryFolder()
        folder.write("regions.csv", """
            region,local_capacity_fte,local_fte_cost,productivity
            EMEA,10,0,10000000
            EMEA,5,80000,8000000

            """)
        folder.write("accounts.csv", """
            account_id,hq_region,revenue,margin,growth_potential,central_share,fit
            A1,EMEA,"1,000",0.3,200,0,1
            A1,EMEA,1000,1.3,200,0,1
            A3,Emea,1000,0.3,nan,0,1
            A4,EMEA,1000,0.3,200,150%,
            ,EMEA,1000,0.3,200,0,1

            """)
        let messages = inputMessages { _ = try Dataset.read(from: folder.path) }
        let regions = folder.file("regions.csv"), accounts = folder.file("accounts.csv")
        #expect(messages.contains("\(regions):2:3: local_fte_cost: expected a number > 0, found 0"))
        #expect(messages.contains("\(regions):3:1: region 'EMEA' already defined on line 2"))
        #expect(messages.contains("\(accounts):2:3: revenue: expected a number ≥ 0, found \"1,000\"; write plain decimals without thousands separators, with '.' as the decimal point"))
        #expect(messages.contains("\(accounts):3:1: account 'A1' already defined on line 2"))
        #expect(messages.contains("\(accounts):3:4: margin: expected a fraction from 0 to 1 (or a percentage such as 35%), found 1.3"))
        #expect(messages.contains("\(accounts):4:2: hq_region: unknown region 'Emea' (did you mean 'EMEA'?)"))
        #expect(messages.contains("\(accounts):4:5: growth_potential: expected a number ≥ 0, found \"nan\""))
        #expect(messages.contains("\(accounts):5:6: central_share: expected a fraction from 0 to 1 (or a percentage such as 35%), found 150%"))
        #expect(messages.contains("\(accounts):6:1: account_id: a value is required"))
        #expect(messages.contains("\(accounts):5:7: fit: a value is required; expected a fraction from 0 to 1 (or a percentage such as 35%)"))
        #expect(messages.count == 10)
    }

    @Test func missingFilesAndColumns() {
        let folder = TemporaryFolder()
        folder.write("accounts.csv", "account_id,hq_region,revenue,margn,growth_potential\nA1,EMEA,1,0.3,0\n")
        let messages = inputMessages { _ = try Dataset.read(from: folder.path) }
        #expect(messages.contains("\(folder.file("regions.csv")): file not found"))
        #expect(messages.contains("\(folder.file("accounts.csv")):1: missing required column 'margin' (did you mean 'margn'?)"))
    }

    @Test func emptyFileSemicolonsAndInvalidUTF8() {
        let folder = TemporaryFolder()
        folder.write("regions.csv", "")
        folder.write("accounts.csv", "account_id;hq_region;revenue;margin;growth_potential\nA1;EMEA;1;0.3;0\n")
        folder.write("footprint.csv", bytes: Array("account_id,region,share\nA1,EMEA,1\n".utf8) + [0xFF, 0x0A])
        let messages = inputMessages { _ = try Dataset.read(from: folder.path) }
        #expect(messages.contains("\(folder.file("regions.csv")): is empty; expected a header row"))
        #expect(messages.contains("\(folder.file("accounts.csv")):1: fields are separated by semicolons; save the file with commas as separators"))
        #expect(messages.contains("\(folder.file("footprint.csv")):3:1: not valid UTF-8 text; save the file as UTF-8 (CSV UTF-8 in Excel)"))
    }

    @Test func footprintRules() {
        let folder = TemporaryFolder()
        folder.write("regions.csv", regionsCSV)
        folder.write("accounts.csv", """
            account_id,hq_region,revenue,margin,growth_potential
            A1,EMEA,1000,0.3,200
            A2,EMEA,1000,0.3,200

            """)
        folder.write("footprint.csv", """
            account_id,region,share
            A1,EMEA,0.5
            A1,APAC,0.48
            A2,EMEA,0.5
            A2,EMEA,0.5
            A9,EMEA,1
            A2,LATAM,0.02

            """)
        let messages = inputMessages { _ = try Dataset.read(from: folder.path) }
        let file = folder.file("footprint.csv")
        #expect(messages.contains("\(file):3:3: shares of account 'A1' add up to 0.98, expected 1"))
        #expect(messages.contains("\(file):5:2: account 'A2' in region 'EMEA' already listed on line 4"))
        #expect(messages.contains("\(file):6:1: account_id: unknown account 'A9' (did you mean 'A1'?)"))
        #expect(messages.contains("\(file):7:2: region: unknown region 'LATAM'"))
    }

    /// The footprint's cells are checked while the accounts are read, and a row with a problem
    /// of its own is checked again as it is reported: every message in file order (the
    /// accounts' first), a row's cell problems before its unknown account.
    @Test func footprintMessagesKeepTheirOrder() {
        let folder = TemporaryFolder()
        folder.write("regions.csv", regionsCSV)
        folder.write("accounts.csv", """
            account_id,hq_region,revenue,margin,growth_potential
            A1,EMEA,1000,0.3,200
            A2,EMEA,1000,0.3,200
            A3,EMEA,1000,0.3,200
            A4,EMEA,lots,0.3,200

            """)
        folder.write("footprint.csv", """
            account_id,region,share,current_local_fte
            A1,EMEA,0.5,1
            A1,APAC,half,1
            A9,EMEA,1,
            A2,LATAM,1,2
            A2,EMEA,1,2
            A2,EMEA,0,2
            A3,EMEA,0.4,0
            A3,APAC,0.5,0

            """)
        let messages = inputMessages { _ = try Dataset.read(from: folder.path) }
        let accounts = folder.file("accounts.csv"), file = folder.file("footprint.csv")
        let expected = ["\(accounts):5:3: revenue:", "\(file):3:3: share:", "\(file):4:4: current_local_fte:",
                        "\(file):4:1: account_id: unknown account 'A9'", "\(file):5:2: region: unknown region 'LATAM'",
                        "\(file):7:2: account 'A2' in region 'EMEA' already listed on line 6",
                        "\(file):9:3: shares of account 'A3' add up to 0.9, expected 1"]
        #expect(messages.count == expected.count, "\(messages)")
        for (message, start) in zip(messages, expected) { #expect(message.hasPrefix(start), "\(message)") }
    }

    /// Rows whose cells were checked beside the accounts keep their numbers.
    @Test func checkedFootprintRowsKeepTheirNumbers() throws {
        let folder = TemporaryFolder()
        folder.write("regions.csv", regionsCSV)
        folder.write("accounts.csv", "account_id,hq_region,revenue,margin,growth_potential\nA1,EMEA,1000,0.3,200\nA2,APAC,1000,0.3,200\n")
        folder.write("footprint.csv", "account_id,region,share,current_local_fte\nA1,APAC,0.25,1.5\nA2,APAC,1,0\nA1,EMEA,75%,2\n")
        let dataset = try Dataset.read(from: folder.path)
        #expect(dataset.accounts[0].footprint == [FootprintShare(region: 0, share: 0.75, currentLocalFTE: 2),
                                                  FootprintShare(region: 1, share: 0.25, currentLocalFTE: 1.5)])
        #expect(dataset.accounts[1].footprint == [FootprintShare(region: 1, share: 1, currentLocalFTE: 0)])
    }

    @Test func zeroSharesAreNotPartOfTheFootprint() throws {
        let folder = TemporaryFolder()
        folder.write("regions.csv", regionsCSV)
        folder.write("accounts.csv", "account_id,hq_region,revenue,margin,growth_potential\nA1,EMEA,1000,0.3,200\n")
        folder.write("footprint.csv", "account_id,region,share\nA1,EMEA,1\nA1,APAC,0\n")
        let dataset = try Dataset.read(from: folder.path)
        #expect(dataset.accounts[0].footprint == [FootprintShare(region: 0, share: 1)])
    }
}
