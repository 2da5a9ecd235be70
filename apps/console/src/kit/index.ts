/** The console's component kit: import from '../../kit/index.ts' in sections. */
export { Badge, type BadgeTone } from './Badge.tsx';
export { Button, type ButtonVariant } from './Button.tsx';
export { ConfirmDialog, type ConfirmDialogProps } from './ConfirmDialog.tsx';
export { DateRange, cstDay, lastDays, type DateRangeValue } from './DateRange.tsx';
export { NumberField, SelectField, Switch, TextField, TextareaField, hasErrors, type FieldErrors } from './fields.tsx';
export { Card, Loading, Page, Placeholder } from './Page.tsx';
export { SaveForm, useSave } from './SaveForm.tsx';
export { LoadMore, Pagination } from './Pagination.tsx';
export { PageLoadError, ShownOnce } from './Notices.tsx';
export { Table, type Column, type TableProps } from './Table.tsx';
export { Tabs, type Tab } from './Tabs.tsx';
export { ToastProvider, useToast, type ToastKind } from './Toast.tsx';
