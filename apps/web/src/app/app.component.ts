import { ChangeDetectionStrategy, Component } from '@angular/core';
import { ShellComponent } from './core/layout/shell/shell.component';

@Component({
  selector: 'vl-root',
  imports: [ShellComponent],
  template: '<vl-shell />',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AppComponent {}
