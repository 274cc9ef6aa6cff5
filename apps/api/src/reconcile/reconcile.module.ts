import { Module } from '@nestjs/common';
import { CdrsModule } from '../cdrs/cdrs.module';
import { SippyModule } from '../sippy/sippy.module';
import { ReconcileController } from './reconcile.controller';
import { ReconcileNightlyService } from './reconcile-nightly.service';
import { ReconcileService } from './reconcile.service';
import { ReconciliationRepository } from './reconciliation.repository';

/** Reconciliation of the stored CDRs against the switch: POST/GET /api/sippy/reconcile and the nightly job. */
@Module({
  imports: [SippyModule, CdrsModule],
  controllers: [ReconcileController],
  providers: [ReconcileService, ReconcileNightlyService, ReconciliationRepository],
  exports: [ReconcileService, ReconcileNightlyService],
})
export class ReconcileModule {}
