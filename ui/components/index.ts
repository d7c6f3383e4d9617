// Every kiosk component, registered on import. The server imports this to render, the client bundle to
// hydrate; the list also gives the Content-Security-Policy the hashes of the components' style blocks.
import { AdminFormScreen } from './admin-form-screen.ts';
import { AdminScreen } from './admin-screen.ts';
import { AssetScreen } from './asset-screen.ts';
import { AssetSummary } from './asset-summary.ts';
import { BatchScreen } from './batch-screen.ts';
import { CaseGrid } from './case-grid.ts';
import { ChangeScreen } from './change-screen.ts';
import { CommitPanel } from './commit-panel.ts';
import { CorrectionsScreen } from './corrections-screen.ts';
import { CountTiles } from './count-tiles.ts';
import { CradleScreen } from './cradle-screen.ts';
import { CsvImportScreen } from './csv-import-screen.ts';
import { CustodyChart } from './custody-chart.ts';
import { DashboardScreen } from './dashboard-screen.ts';
import { DeviceStatus } from './device-status.ts';
import { DuePicker } from './due-picker.ts';
import { EventFeed } from './event-feed.ts';
import { EventTimeline } from './event-timeline.ts';
import { ExportScreen } from './export-screen.ts';
import { FindScreen } from './find-screen.ts';
import { FirstRunScreen } from './first-run-screen.ts';
import { HandReceipt } from './hand-receipt.ts';
import { HistoryScreen } from './history-screen.ts';
import { HolderPicker } from './holder-picker.ts';
import { HolderScreen } from './holder-screen.ts';
import { HolderSummary } from './holder-summary.ts';
import { HoldingsTable } from './holdings-table.ts';
import { IdleScreen } from './idle-screen.ts';
import { IssueScreen } from './issue-screen.ts';
import { KioskBar } from './kiosk-bar.ts';
import { KioskToast } from './kiosk-toast.ts';
import { NoticeScreen } from './notice-screen.ts';
import { OskInput } from './osk-input.ts';
import { OskKeyboard } from './osk-keyboard.ts';
import { PinPad } from './pin-pad.ts';
import { ReturnScreen } from './return-screen.ts';
import { SecondAdmin } from './second-admin.ts';
import { SignInScreen } from './sign-in-screen.ts';
import { SignaturePad } from './signature-pad.ts';
import { SlotPicker } from './slot-picker.ts';
import { SweepChoiceScreen } from './sweep-choice-screen.ts';
import { SweepGrid } from './sweep-grid.ts';
import { SweepScreen } from './sweep-screen.ts';
import { TermsScreen } from './terms-screen.ts';

export const COMPONENTS = [
  AdminFormScreen,
  AdminScreen,
  AssetScreen,
  AssetSummary,
  BatchScreen,
  CaseGrid,
  ChangeScreen,
  CommitPanel,
  CorrectionsScreen,
  CountTiles,
  CradleScreen,
  CsvImportScreen,
  CustodyChart,
  DashboardScreen,
  DeviceStatus,
  DuePicker,
  EventFeed,
  EventTimeline,
  ExportScreen,
  FindScreen,
  FirstRunScreen,
  HandReceipt,
  HistoryScreen,
  HolderPicker,
  HolderScreen,
  HolderSummary,
  HoldingsTable,
  IdleScreen,
  IssueScreen,
  KioskBar,
  KioskToast,
  NoticeScreen,
  OskInput,
  OskKeyboard,
  PinPad,
  ReturnScreen,
  SecondAdmin,
  SignInScreen,
  SignaturePad,
  SlotPicker,
  SweepChoiceScreen,
  SweepGrid,
  SweepScreen,
  TermsScreen,
];
